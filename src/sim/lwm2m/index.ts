/**
 * LwM2M client simulator for the proxy's tests and `dm-proxy simulate lwm2m`. One simulated device = one UDP socket on
 * loopback (port 0) shared by a node-coap Server, which answers the proxy's requests, and a node-coap
 * Agent, which sends Register / Update / De-register / Bootstrap-Request from that same port.
 *
 *   const device = await startSimulatedDevice({ endpoint: 'urn:dev:1', server: { host: '127.0.0.1', port } });
 *   try {
 *     const { code, location } = await device.register();     // '2.01', '/rd/…'
 *     await device.update({ lifetime: 600, objects: true });   // POST /rd/…?lt=600 with the object list
 *     device.value('/5/0/3');                                  // firmware State as the device holds it
 *     device.requests;                                         // every request the proxy sent, in order
 *     await device.deregister();                               // DELETE /rd/…
 *   } finally {
 *     device.close();                                          // always: closes the socket, stops timers
 *   }
 *
 * Options (SimulatedDeviceOptions): `version` '1.0' | '1.1' (default) | '1.2' | null (no `lwm2m=`),
 * `lifetime`, `binding`, `queueMode` (`b=UQ` on 1.0, `&Q` on 1.1+), `sms`, `rootPath` and
 * `preferredFormat` (root link `</path>;rt="oma.lwm2m";ct=N`, `pct=` on Bootstrap-Request), `objects`
 * (default /1/0 /3/0 /4/0 /5/0 /9/0 /15/0 /20/0), `resources` (initial values by path), `formats`,
 * `family` 4 | 6, hostile extras `extraQuery`, `registerPayload`, `linkContentFormat` (null = none),
 * `finishAnswer`, `timing` (rebootMs, downloadMs, updateMs, installMs), `firmware` (newVersion, downloadFailure,
 * updateFailure), `software` (downloadFailure, installFailure), `autoUpdate` (Update after Create/Delete).
 *
 * Registration: register() goes to the server of the device's server account (factory account from
 * `server`, or what a Bootstrap Server wrote); returns the code and location, which update() and
 * deregister() use. They reject with SimTimeoutError when the server never answers.
 *
 * Send (LwM2M 1.1+): `await device.send(['/3/0/9', '/20/0'])` posts the current values to `/dp` of the server it
 * is registered with, in SenML CBOR (`{ contentFormat: 110 }` for SenML JSON, `{ payload }` for raw bytes), and
 * resolves with the server's answer.
 *
 * Bootstrap: `await device.bootstrap({ host, port })` sends `POST /bs?ep=…`, answers Discover (link format
 * with `</0/0>;uri=…` for its bootstrap account and `;ssid=` on server accounts), Delete (`/` keeps only the
 * bootstrap account and /3/0), Write (TLV / SenML), Read of /1, and resolves at Bootstrap-Finish with
 * `{ requestCode, finishCode, configuration }`. Finish answers 4.06 when no Security and Server instance
 * share a Short Server ID, or always with the option `finishAnswer: '4.06'` (`quirks.finishAnswer` at run time). `device.configuration()` shows
 * the Security and Server instances at any time.
 *
 * Objects: /3 Device (Reboot → silent for rebootMs then registers again; Factory Reset), /4 Connectivity,
 * /5 Firmware (Package URI → State 1 → 2; Update only in State 2 else 4.05 → State 3 → State 0, Result 1,
 * new version; bad URI → Result 7, unsupported scheme → 9), /9 Software (download → DELIVERED, Install,
 * Uninstall, Activate, Deactivate), /15 DevCapMgmt (opEnable / opDisable), /20 Event Log (LogStart / LogStop),
 * /1 Server (Registration Update Trigger). Read answers per Accept: none → text/opaque for one value, else
 * the preferred format (TLV for 1.0, SenML CBOR for 1.1+ unless `preferredFormat`); unsupported → 4.06.
 * Write (PUT replace, POST partial update), Execute, Create (POST /9 → 2.01 `/9/<id>`), Delete, Discover
 * (Accept 40) and Write-Attributes answer with the codes of the LwM2M tables (4.00, 4.01 for /0, 4.04,
 * 4.05, 4.15); an unexpected failure answers 5.00.
 *
 * Observe (RFC 7641, as Leshan / Wakaama clients do it): a GET with Observe=0 on a resource, instance or object
 * answers 2.05 with Observe and the value (format as for a Read) and keeps the observation (per peer and path; a new
 * Observe of the same path by the same peer replaces it). Whenever what a Read of the path gives changes (the
 * firmware / software state machines, a Write, `setValue()`, ...) a notification goes out with the same token and a
 * rising Observe number, confirmable when the Observe request was, no sooner than `pmin` seconds after the last one
 * (a change inside pmin goes out when pmin has passed) and at least every `pmax` seconds; pmin / pmax come from
 * Write-Attributes on the path, else its instance, else its object (none: pmin 0, no pmax). An RST in reply to a
 * notification or a GET with Observe=1 on the path (answered as a plain read) cancels it; so do deregister(),
 * register() and a Reboot. While asleep nothing is sent; wake() sends the latest due notification per observation
 * once its Update was answered. A target that can no longer be read ends the observation with that error code.
 * Observe on other methods is ignored (the request is carried out); a notification payload over 1024 bytes ends the
 * observation with 5.00 (no block-wise notifications). `observations()` lists `{ path, pmin?, pmax? }`.
 *
 * Updates that never finish: `timing.updateMs: Infinity` keeps firmware Updating (State 3), `installMs: Infinity`
 * keeps a software Install pending (DELIVERED), `downloadMs: Infinity` keeps a `sim:` download going, until the
 * device closes; `setValue('/5/0/3', …)` moves the state on by hand (observers are notified).
 *
 * Provoking outcomes: `answerWith('/3/0/4', '5.00', { times })` forces a code (path or predicate);
 * `dropRequests(n)` loses the next n request datagrams (retransmissions count); `clearFaults()`;
 * `quirks.silent` never answers; `quirks.garbagePayload` sends undecodable 2.05 payloads;
 * `quirks.wakaamaStyle` answers single resources in TLV; `quirks.textOnly` behaves like lwm2m-node-lib
 * (multi-value or non-text requests never answered, answers without Content-Format); `sleep()` / `wake()`
 * for queue mode (asleep = every datagram lost; wake sends an Update and resolves with its answer).
 * Quirks can be switched at any time (`device.quirks.silent = true`).
 *
 * Inspecting: `requests` (every handled request: method, path, query, accept, contentFormat, payload, at),
 * `droppedRequests`, `waitForRequest(match, timeoutMs)`, `value('/5/0/3')` / `setValue(path, content)`
 * (a multiple resource is a Map), `instances()`, `configuration()`, `location`, `address()`.
 *
 * Package URIs (/5/0/1, /9/<i>/3) are really fetched: http and https with fetch, coap with node-coap
 * (Block2); `sim:<name>` and a pushed Package complete after downloadMs. A failed transfer ends with the
 * object's Update Result (firmware 4 connection lost, 7 no such package, 2 too large; software 52, 56, 50).
 *
 * Events: 'request' (ReceivedRequest), 'answered' (ReceivedRequest, DeviceAnswer), 'download'
 * (DownloadEvent: started, progress, finished, failed), 'registered' (location), 'rebooted' (register
 * result or nothing), 'observed' (path), 'observe-cancelled' (path, how: ObserveCancel = 'rst' | 'observe-1' |
 * 'replaced' | 'deregister' | 'registration' | 'timeout' | 'error'), 'notified' (path, payload Buffer, Observe
 * number), 'closed'. `dm-proxy simulate lwm2m` (running-device.ts) runs devices for users.
 * Waits (bootstrap, waitForRequest) reject when the device is closed.
 */
import { SimulatedDevice } from './simulated-device.js';
import type { SimulatedDeviceOptions } from './options.js';

export function startSimulatedDevice(options: SimulatedDeviceOptions): Promise<SimulatedDevice> {
  return SimulatedDevice.start(options);
}

export { SimulatedDevice, type BootstrapOptions, type BootstrapOutcome } from './simulated-device.js';
export type { RegisterResult } from './registration-client.js';
export { SimTimeoutError, type ReceivedRequest, type ServerAnswer } from './coap-endpoint.js';
export type { AccountConfiguration, CoapAddress, SecurityAccount, ServerAccount } from './accounts.js';
export type { ForcedAnswerOptions, Quirks, RequestMatch } from './faults.js';
export type { SimulatedDeviceOptions } from './options.js';
export type { UpdateParameters } from './registration-messages.js';
export type { ResourceContent } from './object-store.js';
export type { DownloadEvent } from './downloads/package-downloads.js';
export type { ObservationInfo, ObserveCancel } from './observations.js';
