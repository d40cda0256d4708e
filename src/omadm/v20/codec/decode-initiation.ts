import { parseBoundedJson } from './bounded-json.js';
import { decodeAlerts } from './decode-alerts.js';
import { JsonChecks } from './json-checks.js';
import type { Dm2Limits } from './limits.js';
import { DM2_SESSION_ALERTS, type Dm2GenericAlert, type Dm2Initiation, type Dm2Mo, type Dm2SessionAlertKind } from './model.js';

function sessionAlertKind(alertType: string): Dm2SessionAlertKind | undefined {
  for (const [kind, type] of Object.entries(DM2_SESSION_ALERTS)) if (type === alertType) return kind as Dm2SessionAlertKind;
  return undefined;
}

/**
 * NOTIFICATION-ID of package 0 (16 bits), given as the server-initiated alert's `Data`: a number, decimal text, or
 * `{"NOTIFICATION-ID": n}` (the protocol says the alert carries it, not in which shape).
 */
function notificationId(alert: Dm2GenericAlert, checks: JsonChecks): number | undefined {
  if (alert.data === undefined) return undefined;
  const data = typeof alert.data === 'object' && alert.data !== null && !Array.isArray(alert.data) && 'NOTIFICATION-ID' in alert.data ? (alert.data as Record<string, unknown>)['NOTIFICATION-ID'] : alert.data;
  const value = typeof data === 'string' && /^\d{1,5}$/.test(data) ? Number(data) : data;
  return checks.integer(value, `Alert ${alert.alertType} Data (NOTIFICATION-ID)`, 0, 0xffff);
}

function decodeMo(value: unknown, where: string, checks: JsonChecks): Dm2Mo {
  const entry = checks.object(value, where);
  const moid = checks.text(entry.MOID, `${where}.MOID`);
  if (moid.length === 0) checks.fail(`${where}.MOID`, 'must not be empty');
  const miids = checks.list(entry.MIID, `${where}.MIID`).map((miid, index) => checks.text(miid, `${where}.MIID[${index}]`));
  const ddf = checks.optionalText(entry.DDF, `${where}.DDF`);
  return ddf === undefined ? { moid, miids } : { ddf, moid, miids };
}

/**
 * Package 1 (`application/vnd.oma.dm.initiation+json`): `{"MOS": [{"DDF", "MOID", "MIID": [...]}], "Alert": [...]}`.
 * The first session alert (client-/server-initiated, bootstrap complete) says why the session opened; every other
 * alert is a Generic Alert. Throws Dm2DecodeError.
 */
export function decodeInitiation(devId: string, body: Buffer, limits: Dm2Limits): Dm2Initiation {
  const checks = new JsonChecks(limits);
  const root = checks.object(parseBoundedJson(body, limits), 'package 1');
  const mos = checks.list(root.MOS, 'MOS').map((entry, index) => decodeMo(entry, `MOS[${index}]`, checks));
  const initiation: Dm2Initiation = { devId, mos, genericAlerts: [] };
  for (const alert of decodeAlerts(root.Alert, 'Alert', checks)) {
    const kind = sessionAlertKind(alert.alertType);
    if (kind === undefined) initiation.genericAlerts.push(alert);
    else if (initiation.sessionAlert === undefined) {
      const id = kind === 'serverInitiated' ? notificationId(alert, checks) : undefined;
      initiation.sessionAlert = id === undefined ? { kind } : { kind, notificationId: id };
    }
  }
  return initiation;
}
