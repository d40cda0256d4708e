/**
 * OMA DM 2.0 device simulator for the proxy's tests and `dm-proxy simulate omadm2` (reference §2). The device opens
 * every session itself: JSON packages over HTTP (fetch).
 *
 *   const device = new SimulatedDm2Device({ devId: 'IMEI:4711', server: 'http://127.0.0.1:8090/dm2', user: 'u', secret: 's' });
 *   const outcome = await device.openSession();   // { sessionId, result: 'completed', messages, delivered }
 *   device.value('./FUMO/State');                 // the tree as the device holds it
 *   await device.close();
 *
 * MO instances (default-instances.ts), MIID 1 each: urn:oma:mo:oma-dm-devinfo:1.0 (DevID, Man, Mod, DmV 2.0, Lang,
 * DevType, OEM, FwV, SwV, HwV, Ext), urn:oma:mo:oma-fumo:1.0, urn:oma:mo:oma-scomo:1.0, urn:oma:mo:oma-lawmo:1.0 (reboot
 * under Ext/Operations), urn:oma:mo:oma-diagmon:1.0 (Memory, Battery): the DM 1.3 simulator's subtrees and tree model.
 *
 * Package 1: POST `application/vnd.oma.dm.initiation+json`, `Accept: application/vnd.oma.dm.request+json`,
 * `OMADM-DevID`; body {MOS: [{MOID, MIID: [...]}], Alert: [{AlertType: ...ClientInitiatedMgmt} | {AlertType:
 * ...ServerInitiatedMgmt, Data: {"NOTIFICATION-ID": n}}, owed Generic Alerts]}. Package 2 {CMD: [[name, args...]]}
 * carried out in order (commands.ts); package 3 POST `application/vnd.oma.dm.response+json` {Status: [{sc, URI?,
 * Data?}]} by position, to the CONT URI once one came; END: the rest carried out, nothing sent. An HTTP 4xx/5xx ends the
 * session (no retry); 204 or an empty body or an empty CMD list ends it too.
 * MO data (HGET/HPUT/HPOST bodies, GET's Data, SUB reports; `application/json`): [{ClientURI, CV, MOData: {<name of
 * the addressed node>: <leaf text | {child: ...}>}}]; CV = the instance's cache validator (a hash of its content).
 * ClientURIs: MOID/MIID/path, empty MIID = the only instance, `*` = all, no MIID (HGET) = a new instance whose MIID is
 * returned in Status.URI, `?cv=` → 304 when unchanged (client-uri.ts).
 * EXEC with a ServerURI: 202, and the Generic Alert {AlertType, SourceURI: the ClientURI, Mark, DataType, Data: {DM1x:
 * result}} in a new session whose package 1 goes to that ServerURI.
 * Auth (http-auth.ts): Basic (every request to the server's origin) or Digest (RFC 7616 qop=auth, MD5/SHA-256).
 *
 * Package 0 (`listenForNotifications(port)`, package0.ts is the proxy's codec): option numbers 1 SERVER-ID … 6 REQ-MOS;
 * with `serverSecret` (the DM Account's Noti AuthSecret) the SHA256-DIGEST must be right, the TIMESTAMP within
 * `notificationMaxAgeS` (300 s) of now and the notification new (a replay is refused); without it, taken unchecked.
 *
 * Faults (`device.faults`): forceStatus(uriOrPredicate, code, {cmd, times}), wrongSecret, slowMs, dropAfterMessages,
 * serverUriFails (419), clear().
 * Events: session-started, session-ended (completed | auth-failed | dropped | failed | unreachable | stopped),
 * authenticated, challenged, package2, command (cmd, uri, status, uris?, reason?), firmware, software, rebooted,
 * factory-reset, generic-alert-due/-sent/-delivered, subscription-reported/-failed, show, notification(-refused).
 */
export { SimulatedDm2Device, LAWMO_ALERT_TYPE, type Dm2OpenSessionOptions } from './simulated-dm2-device.js';
export { DEFAULT_DM2_SERVER, type Dm2DeviceOptions } from './options.js';
export type { Dm2Auth } from './http-auth.js';
export { digestAuthorization, parseChallenges } from './http-auth.js';
export type { Dm2SessionOutcome, Dm2SessionResult, OwedAlert } from './session.js';
export type { Dm2CommandMatch, Dm2Faults, Dm2ForcedStatusOptions } from './faults.js';
export { MOID } from './default-instances.js';
export { encodeDm2Package0, decodeDm2Package0, signDm2Package0, type Dm2Notification } from './package0.js';
export * from './wire.js';
export { DM2_STATUS } from './status-codes.js';
