/** What the tests of pending operations share: a harness with one scripted device, `<request>` reads, notification receivers. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Operation, type ResponsePrimitive } from '../../src/core/primitives.js';
import type { PendingOperation } from '../../src/store/pending-operation-store.js';
import { body, openHarness, type TreeHarness } from '../tree/tree-harness.js';
import { attachScriptedDevice, type ScriptedDeviceAdapter } from '../tree/scripted-device-adapter.js';
import { eventually } from '../lwm2m/helpers.js';

export { eventually };
export type Attrs = Record<string, unknown>;

/** CAdmin may do everything (admin included); CAlice and CBob everything but admin. */
const ACCESS = `
originators:
  - id: CAdmin
    operations: [create, retrieve, update, delete, notify, discover, admin]
  - id: CAlice
    operations: [create, retrieve, update, delete, discover]
  - id: CBob
    operations: [create, retrieve, update, delete, discover]
`;

export const DEVICE = 'proxy/imei:4711';
export const FIRMWARE = `${DEVICE}/firmware`;
export const BATTERY = `${DEVICE}/battery`;

export interface DeviceFixture {
  h: TreeHarness;
  adapter: ScriptedDeviceAdapter;
}

/** A harness (settings from `env`) with the access rules above and one LwM2M device with a battery and a firmware mgmtObj. */
export async function openDevice(env: Record<string, string> = {}): Promise<DeviceFixture> {
  const accessDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pending-access-'));
  const accessFile = path.join(accessDir, 'access.yaml');
  fs.writeFileSync(accessFile, ACCESS);
  const h = await openHarness({ ACCESS_FILE: accessFile, ...env });
  const close = h.close.bind(h);
  h.close = async () => {
    await close();
    fs.rmSync(accessDir, { recursive: true, force: true });
  };
  const adapter = await attachScriptedDevice(h, ['battery', 'firmware']);
  return { h, adapter };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** The ri a non-blocking request's answer (1001 / 1002) points at. */
export function requestRiOf(response: ResponsePrimitive): string {
  const uri = response.pc?.['m2m:uri'];
  if (typeof uri !== 'string') throw new Error(`no m2m:uri in ${JSON.stringify(response)}`);
  return uri;
}

/** Retrieve of a `<request>` by its ri, as `fr` asks for it. */
export function retrieveRequest(h: TreeHarness, ri: string, fr = 'CAdmin'): Promise<ResponsePrimitive> {
  return h.request({ op: Operation.Retrieve, to: ri, fr });
}

/** The `<request>`'s attributes (m2m:req), read by its originator. */
export async function requestAttrs(h: TreeHarness, ri: string, fr = 'CAdmin'): Promise<Attrs> {
  const response = await retrieveRequest(h, ri, fr);
  if (response.rsc !== 2000) throw new Error(`<request> ${ri}: ${JSON.stringify(response)}`);
  return body(response);
}

/** Waits (bounded) until the `<request>` is no longer PENDING and returns it. */
export function finalRequest(h: TreeHarness, ri: string, fr = 'CAdmin'): Promise<Attrs> {
  return eventually(async () => {
    const attrs = await requestAttrs(h, ri, fr);
    return attrs.rs === 3 ? undefined : attrs;
  }, 10_000, `<request> ${ri} to complete`);
}

/** The stored record of the operation behind a `<request>`. */
export function operationOf(h: TreeHarness, ri: string): Promise<PendingOperation | undefined> {
  return h.store.pendingOperations.byRequest(ri);
}

/** Waits (bounded) until the operation behind `ri` is stored in `state`. */
export function operationInState(h: TreeHarness, ri: string, state: PendingOperation['state']): Promise<PendingOperation> {
  return eventually(async () => {
    const record = await operationOf(h, ri);
    return record?.state === state ? record : undefined;
  }, 10_000, `operation of ${ri} to be ${state}`);
}

/** Waits (bounded) until the operation behind `ri` has no notification left to deliver. */
export function deliveryDone(h: TreeHarness, ri: string): Promise<true> {
  return eventually(async () => ((await operationOf(h, ri))?.notification === undefined ? true : undefined), 10_000, `the notification of ${ri} to be settled`);
}

/** Attributes as stored in the tree (a oneM2M Retrieve of a mgmtObj would ask the device). */
export async function storedAttrs(h: TreeHarness, target: string): Promise<Attrs> {
  return (await h.tree.resolve(target)).attrs;
}

/** oneM2M timestamp (`YYYYMMDDTHHMMSS`, UTC) → epoch ms. */
export function epochOf(timestamp: unknown): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(String(timestamp));
  if (!match) throw new Error(`not a oneM2M timestamp: ${String(timestamp)}`);
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number);
  return Date.UTC(year, month - 1, day, hours, minutes, seconds);
}

/** Whether `timestamp` (whole seconds) names `expected` epoch ms, within `slackMs` for the time the test itself took. */
export function isAround(timestamp: unknown, expected: number, slackMs = 3000): boolean {
  const at = epochOf(timestamp);
  return at > expected - 1000 - slackMs && at <= expected + slackMs;
}

export { notificationReceiver, type NotificationReceiver, type ReceivedNotify } from '../helpers/notification-receiver.js';

/** Names of the CSEBase's `<request>` children as `fr` sees them (child resource references). */
export async function requestChildren(h: TreeHarness, fr: string): Promise<string[]> {
  const response = await h.request({ op: Operation.Retrieve, to: 'proxy', rcn: 6, fr });
  if (response.rsc !== 2000) throw new Error(`children: ${JSON.stringify(response)}`);
  const references = (response.pc!['m2m:rrl'] as { rrf: Array<{ nm: string; typ: number }> }).rrf;
  return references.filter((reference) => reference.typ === 17).map((reference) => reference.nm);
}
