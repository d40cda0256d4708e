import type { JsonChecks } from './json-checks.js';
import type { Dm2GenericAlert } from './model.js';

/**
 * One entry of an `Alert` list: `{"AlertType", "SourceURI"?, "TargetURI"?, "Mark"?, "DataType"?, "Data"?}`; a bare
 * string is read as an alert of that type with nothing else (some clients list session alerts that way).
 */
export function decodeAlert(value: unknown, where: string, checks: JsonChecks): Dm2GenericAlert {
  if (typeof value === 'string') return { alertType: checks.text(value, where) };
  const entry = checks.object(value, where);
  const alert: Dm2GenericAlert = { alertType: checks.text(entry.AlertType, `${where}.AlertType`) };
  if (alert.alertType.length === 0) checks.fail(`${where}.AlertType`, 'must not be empty');
  const sourceUri = checks.optionalText(entry.SourceURI, `${where}.SourceURI`);
  const targetUri = checks.optionalText(entry.TargetURI, `${where}.TargetURI`);
  const mark = checks.optionalText(entry.Mark, `${where}.Mark`);
  const dataType = checks.optionalText(entry.DataType, `${where}.DataType`);
  if (sourceUri !== undefined) alert.sourceUri = sourceUri;
  if (targetUri !== undefined) alert.targetUri = targetUri;
  if (mark !== undefined) alert.mark = mark;
  if (dataType !== undefined) alert.dataType = dataType;
  if (entry.Data !== undefined) alert.data = entry.Data;
  return alert;
}

export function decodeAlerts(value: unknown, where: string, checks: JsonChecks): Dm2GenericAlert[] {
  return checks.list(value, where).map((entry, index) => decodeAlert(entry, `${where}[${index}]`, checks));
}
