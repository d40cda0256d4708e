import { parseBoundedJson } from './bounded-json.js';
import { decodeAlerts } from './decode-alerts.js';
import { JsonChecks } from './json-checks.js';
import type { Dm2Limits } from './limits.js';
import type { Dm2MoData, Dm2Response, Dm2Status } from './model.js';

/** `Data` as DM 2.0 JSON MO data (`[{"DDF"?, "ClientURI", "CV"?, "MOData"}]`), or undefined when it is not that shape. */
function moDataList(value: unknown, where: string, checks: JsonChecks): Dm2MoData[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const looksLikeMoData = value.every((entry) => typeof entry === 'object' && entry !== null && !Array.isArray(entry) && 'ClientURI' in entry);
  if (!looksLikeMoData) return undefined;
  return checks.list(value, where).map((raw, index) => {
    const entry = checks.object(raw, `${where}[${index}]`);
    const data: Dm2MoData = { clientUri: checks.text(entry.ClientURI, `${where}[${index}].ClientURI`), moData: entry.MOData };
    const ddf = checks.optionalText(entry.DDF, `${where}[${index}].DDF`);
    const cv = checks.optionalText(entry.CV, `${where}[${index}].CV`);
    if (ddf !== undefined) data.ddf = ddf;
    if (cv !== undefined) data.cv = cv;
    return data;
  });
}

function decodeStatus(value: unknown, where: string, checks: JsonChecks): Dm2Status {
  const entry = checks.object(value, where);
  const status: Dm2Status = { sc: checks.integer(entry.sc, `${where}.sc`, 100, 999) };
  if (entry.URI !== undefined) {
    // One ClientURI alone is taken as a list of one.
    const uris = typeof entry.URI === 'string' ? [entry.URI] : checks.list(entry.URI, `${where}.URI`);
    status.uris = uris.map((uri, index) => checks.text(uri, `${where}.URI[${index}]`));
  }
  if (entry.Data !== undefined) {
    const moData = moDataList(entry.Data, `${where}.Data`, checks);
    if (moData !== undefined) status.moData = moData;
    else status.data = entry.Data;
  }
  return status;
}

/**
 * Package 3 (`application/vnd.oma.dm.response+json`): `{"Status": [{"sc", "URI"?, "Data"?}], "Alert"?: [...]}`, one
 * Status per command of the package 2 before, in its order. Throws Dm2DecodeError.
 */
export function decodeResponse(body: Buffer, limits: Dm2Limits): Dm2Response {
  const checks = new JsonChecks(limits);
  const root = checks.object(parseBoundedJson(body, limits), 'package 3');
  if (root.Status === undefined) checks.fail('package 3', 'has no Status list');
  return {
    statuses: checks.list(root.Status, 'Status', false).map((entry, index) => decodeStatus(entry, `Status[${index}]`, checks)),
    genericAlerts: decodeAlerts(root.Alert, 'Alert', checks),
  };
}
