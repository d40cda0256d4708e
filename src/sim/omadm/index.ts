/**
 * OMA DM 1.2/1.3 device simulator for the proxy's tests and `dm-proxy simulate omadm`. The device is a SyncML DM
 * client over HTTP or HTTPS (option `ca`: the CA to trust; XML or WBXML): it opens every session itself, the server only answers.
 *
 *   const device = new SimulatedDmDevice({ devId: 'IMEI:4711', server: 'http://127.0.0.1:8090/dm', user: 'u', secret: 's' });
 *   const outcome = await device.openSession();   // { sessionId, result: 'completed', messages, delivered }
 *   device.value('./FUMO/State');                 // the tree as the device holds it
 *   await device.close();
 *
 * Tree (default-tree.ts): ./DevInfo (DevId, Man, Mod, DmV, Lang, Ext), ./DevDetail (URI/MaxDepth|MaxTotLen|MaxSegLen,
 * DevTyp, OEM, FwV, SwV, HwV, LrgObj = whether `maxObjSize` is set), ./FUMO (PkgName, PkgVersion, DownloadAndUpdate + /PkgURL, State, Ext),
 * ./SCOMO (Download/<x>/PkgURL, Name + Operations/DownloadInstall|DownloadInstallInactive added by the device;
 * Inventory/Deployed/<x>/ID|Name|Version|State + Operations/Activate|Deactivate|Remove), ./LAWMO (State,
 * Operations/FactoryReset, Ext/Operations/Reboot), ./DiagMon/Memory/Avail|Total and Battery/Level|Status, at the
 * paths of mappings/objects/omadm.yaml. Each node has Format, Type, ACL (inherited when empty; root Add=*&Get=*).
 *
 * Commands: Get (leaf: Results with Format/Type/Data; interior: Format node, child names joined by `/`;
 * `?prop=ACL|Format|Type|Name|Size`; anything else 406), Add (418 exists, parents created implicitly, Format node =
 * interior), Replace (404 missing, 405 interior, `?prop=ACL`), Delete (404, 405 permanent or root), Exec (404, 405
 * not executable), Copy 406, unknown commands 501, ACL refusal 425 (option `deniedStatus: 405`), Atomic (500 with Get
 * inside; a failure rolls back: 507, inner successes 216), Sequence, UI Alerts 1100/1101 200, others 406.
 * Exec on ./FUMO/DownloadAndUpdate: `exec.fumo` 'async' (default) answers 202, State 30, then after `asyncDelayMs`
 * State 100 (or 80), FwV/PkgVersion = `newFirmwareVersion`, and a Generic Alert 1226 (the Exec's Correlator, type
 * ...firmwareupdate.downloadandupdate, Format int, Data `fumoResult`, 411 with an empty PkgURL) in a new session;
 * 'sync' answers 200 at once. SCOMO operations likewise (`exec.scomo`, alert urn:oma:at:scomo:1.0:OperationComplete,
 * 1200). Reboot and FactoryReset answer 200 (events `rebooted`, `factory-reset`).
 *
 * Sessions (session.ts): package 1 = Alert 1201 (1200 with `trigger()`), DevInfo in one Replace, owed Generic Alerts;
 * Cred per `auth` (basic; md5 over the last NextNonce the server gave, empty at first) until the server says 212;
 * hmac: no Cred, an x-syncml-hmac header over every message's exact body (same nonce rule);
 * 401/407 with a Chal: package 1 again with the asked type and nonce (at most twice a session); `serverSecret`: the
 * server's Cred is checked (md5 over the nonce the device gave, `serverId` as user; hmac: the x-syncml-hmac header of
 * every answer): 212 (+ Chal with the next nonce; hmac: 200 + Chal for every later answer), else 401/407 + Chal for the
 * header and every command, none carried out. RespURI followed; a
 * message without Final answered with Alert 1222; own packages split by the server's MaxMsgSize; Alert 1223 ends the
 * session; it ends when a final server message brings nothing to answer. Large objects (large-objects.ts) with
 * `maxObjSize`: announced in the SyncHdr; Results too big for the server's MaxMsgSize go in chunks (Size on the first,
 * MoreData on all but the last); chunked Replace/Add answered 213 per chunk, 424 on a size mismatch, 413 over
 * maxObjSize, Alert 1225 when the server cuts one off. Without it MoreData is ignored, as libdmclient does.
 * Scheduling: `openSession()` (queued, one session at a time), `trigger(sessionId?)`, `startSessions(pollSeconds?)`.
 *
 * Faults (`device.faults`, any time): `forceStatus(pathOrPredicate, code, { cmd, times })`, `wrongSecret`, `omitCred`,
 * `slowMs` (before each message after package 1), `dropAfterMessages` (the session goes silent), `wrongChunkSize`
 * (Meta Size one too many), `cutChunksAfter` (an object's rest is never sent), `clear()`.
 * Quirks by option: `mediaType: 'ds'` posts libdmclient's DS type; `encoding: 'wbxml'` posts WBXML (answers are read by
 * their Content-Type); `deniedStatus`.
 *
 * Events (`events`, `on('event')`, `waitFor(match)`, and `options.sink`): session-started, session-ended (result
 * completed | aborted | auth-failed | dropped | failed | unreachable | stopped), authenticated, challenged,
 * server-authenticated, server-refused, command (cmd, path, status), firmware, software, generic-alert-due,
 * generic-alert-sent, generic-alert-delivered, rebooted, factory-reset, oversize-message, chunk-sent, chunk-received,
 * chunk-answered (the server's 413/424 for a chunk), chunks-cut, chunks-cut-off, server-cut-off (its Alert 1225).
 */
export { SimulatedDmDevice, type OpenSessionOptions } from './simulated-dm-device.js';
export { DEFAULT_DM_SERVER, DEFAULT_SERVER_ID, type DmDeviceOptions, type DmSimAuth, type DmVersion } from './options.js';
export type { DmSimEvent, DmSimEventSink } from './events.js';
export type { SessionOutcome, SessionResult } from './session.js';
export type { CommandMatch, DmFaults, ForcedStatusOptions } from './faults.js';
export { FUMO_ALERT_TYPE, SCOMO_ALERT_TYPE, type GenericAlert } from './generic-alert.js';
export type { ExecBehaviour } from './exec-operations.js';
