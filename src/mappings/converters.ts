import { isIPv4, isIPv6 } from 'node:net';
import type { ActionStatusValue as ActionStatus, ConverterRegistry } from './types.js';
import { asBoolean, asBytes, asInteger, asIntegerIn } from './device-values.js';

/** m2m:status (TS-0004 §6.3.4.2.24). */
const UNINITIALIZED = 0;
const SUCCESSFUL = 1;
const FAILURE = 2;
const IN_PROCESS = 3;

export interface ConverterDefinition {
  /** How many device values (mapped resources, in table order) the converter reads. */
  inputs: number;
  fromDevice(values: readonly unknown[]): unknown;
  /** Absent when the attribute cannot be written through this converter. */
  toDevice?(value: unknown): unknown;
}

/** m2m:logTypeId (TS-0004 Table 6.3.4.2.23-1): 1 System, 2 Security, 3 Event, 4 Trace, 5 Panic. */
const LOG_TYPE_SYSTEM = 1;
const LOG_TYPE_EVENT = 3;
const LOG_TYPE_PANIC = 5;

const BYTES_PER_KILOBYTE = 1000;
/** 9999-12-31T23:59:59Z, the last second a `YYYYMMDDTHHMMSS` timestamp can hold. */
const LAST_TIMESTAMP_SECOND = 253_402_300_799;
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:,\d{1,6})?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** FUMO State (10 Idle … 100 Update Successful/No Data) → m2m:status (reference onem2m.md §5.2). */
const FUMO_STATE_STATUS = new Map([
  [10, UNINITIALIZED], [20, FAILURE], [30, IN_PROCESS], [40, IN_PROCESS], [50, IN_PROCESS],
  [60, IN_PROCESS], [70, FAILURE], [80, FAILURE], [90, SUCCESSFUL], [100, SUCCESSFUL],
]);

function status(acn: string, sus: number): ActionStatus {
  return { acn, sus };
}

const enum FirmwareState { Idle = 0, Downloading = 1, Downloaded = 2, Updating = 3 }
/** /5 Update Result: 1 success, 8 update failed, 11 update deferred; 2–7, 9 and 10 end a download. */
const FIRMWARE_UPDATED = 1;
const FIRMWARE_UPDATE_FAILED = 8;
const FIRMWARE_UPDATE_DEFERRED = 11;

/**
 * LwM2M /5 State (0–3) and Update Result (0–11) → `uds`. m2m:status has no "downloaded" value, so `acn`
 * names the phase: `url` (writing it starts the download) while downloading (3), downloaded and ready to
 * update (1) or failed to download (2); `ud` while updating (3), updated (1), update failed (2).
 */
function firmwareStatus(stateValue: unknown, resultValue: unknown): ActionStatus | undefined {
  const state = asIntegerIn(stateValue, 0, 3);
  const result = asIntegerIn(resultValue, 0, 11);
  if (state === undefined || result === undefined) return undefined;
  if (state === FirmwareState.Downloading) return status('url', IN_PROCESS);
  if (state === FirmwareState.Updating || result === FIRMWARE_UPDATE_DEFERRED) return status('ud', IN_PROCESS);
  if (result === FIRMWARE_UPDATE_FAILED) return status('ud', FAILURE);
  if (state === FirmwareState.Downloaded) return status('url', SUCCESSFUL);
  if (result === FIRMWARE_UPDATED) return status('ud', SUCCESSFUL);
  if (result !== 0) return status('url', FAILURE);
  return status('ud', UNINITIALIZED);
}

/** LwM2M /9 Update State (0–4) and Update Result (0–3, 50–59) → status of the `in` action. */
function softwareStatus(stateValue: unknown, resultValue: unknown): ActionStatus | undefined {
  const state = asIntegerIn(stateValue, 0, 4);
  const result = asInteger(resultValue);
  if (state === undefined || result === undefined || !((result >= 0 && result <= 3) || (result >= 50 && result <= 59))) return undefined;
  if (result >= 50) return status('in', FAILURE);
  if (state === 4) return status('in', SUCCESSFUL);
  if (state > 0 || result === 1) return status('in', IN_PROCESS);
  return status('in', UNINITIALIZED);
}

/** A multiple resource arrives as the list of its instances' values; a device may send a single resource instead. */
function instanceValues(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** m2m:ipAddress (TS-0004): an IPv4 text goes to `ip4`, an IPv6 text to `ip6`; anything else is no address. */
function ipAddress(value: unknown): { ip4: string } | { ip6: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (isIPv4(text)) return { ip4: text };
  return isIPv6(text) ? { ip6: text } : undefined;
}

/** Every instance an address, else the whole list is unreadable (a partial list would misstate the device's addresses). */
function ipAddresses(value: unknown): Array<{ ip4: string } | { ip6: string }> | undefined {
  const addresses = instanceValues(value).map(ipAddress);
  return addresses.every((address) => address !== undefined) ? addresses : undefined;
}

/** The last second converted: a device's clock is read many times within one second (every Retrieve of deviceInfo). */
let lastTimestamp = { seconds: -1, text: '' };

function timestampFromSeconds(value: unknown): string | undefined {
  const seconds = asIntegerIn(value, 0, LAST_TIMESTAMP_SECOND);
  if (seconds === undefined) return undefined;
  if (seconds === lastTimestamp.seconds) return lastTimestamp.text;
  const iso = new Date(seconds * 1000).toISOString(); // 2024-05-06T07:08:09.000Z
  lastTimestamp = { seconds, text: iso.slice(0, 19).replace(/[-:]/g, '') };
  return lastTimestamp.text;
}

function secondsFromTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TIMESTAMP.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2024-02-30 over to March: a value that does not round-trip is no real time.
  return timestampFromSeconds(millis / 1000) === value.slice(0, 15) ? millis / 1000 : undefined;
}

const DEFINITIONS: ReadonlyMap<string, ConverterDefinition> = new Map<string, ConverterDefinition>([
  ['kiloBytesToBytes', {
    inputs: 1,
    fromDevice: ([kiloBytes]) => {
      const n = asIntegerIn(kiloBytes, 0, Number.MAX_SAFE_INTEGER / BYTES_PER_KILOBYTE);
      return n === undefined ? undefined : n * BYTES_PER_KILOBYTE;
    },
    toDevice: (bytes) => {
      const n = asIntegerIn(bytes, 0, Number.MAX_SAFE_INTEGER);
      return n === undefined ? undefined : Math.round(n / BYTES_PER_KILOBYTE);
    },
  }],
  ['batteryStatusPlusOne', {
    // LwM2M Battery Status 0 Normal … 6 Unknown; m2m:batteryStatus 1 Normal … 7 Unknown.
    inputs: 1,
    fromDevice: ([lwm2mStatus]) => {
      const n = asIntegerIn(lwm2mStatus, 0, 6);
      return n === undefined ? undefined : n + 1;
    },
    toDevice: (m2mStatus) => {
      const n = asIntegerIn(m2mStatus, 1, 7);
      return n === undefined ? undefined : n - 1;
    },
  }],
  ['firmwareActionStatus', { inputs: 2, fromDevice: ([state, result]) => firmwareStatus(state, result) }],
  ['softwareInstallStatus', { inputs: 2, fromDevice: ([state, result]) => softwareStatus(state, result) }],
  ['activationStatus', {
    // Activation State true = the last activate succeeded, false = the last deactivate did.
    inputs: 1,
    fromDevice: ([active]) => {
      const flag = asBoolean(active);
      return flag === undefined ? undefined : status(flag ? 'act' : 'dea', SUCCESSFUL);
    },
  }],
  ['fumoStateToActionStatus', {
    inputs: 1,
    fromDevice: ([state]) => {
      const sus = FUMO_STATE_STATUS.get(asInteger(state) ?? -1);
      return sus === undefined ? undefined : status('ud', sus);
    },
  }],
  ['eventLogStatus', {
    // LwM2M /20 LogStatus bits: 0 stopped, 1 data valid, 2 error → m2m:logStatus 1 Started, 2 Stopped, 5 Error.
    inputs: 1,
    fromDevice: ([bits]) => {
      const n = asIntegerIn(bits, 0, 255);
      if (n === undefined) return undefined;
      if (n & 0b100) return 5;
      return n & 0b001 ? 2 : 1;
    },
  }],
  ['logClassToLogTypeId', {
    // LwM2M LogClass (0–255) → m2m:logTypeId (1 System … 5 Panic): 1–5 are the same classes. The others (0 generic,
    // the default; 6 charging; 7–99 reserved; 100–255 vendor) have no type of their own in oneM2M and are entries of
    // an Event Log: 3 Event. Writes send 1–5 as they are.
    inputs: 1,
    fromDevice: ([logClass]) => {
      const n = asIntegerIn(logClass, 0, 255);
      if (n === undefined) return undefined;
      return n >= LOG_TYPE_SYSTEM && n <= LOG_TYPE_PANIC ? n : LOG_TYPE_EVENT;
    },
    toDevice: (logTypeId) => asIntegerIn(logTypeId, LOG_TYPE_SYSTEM, LOG_TYPE_PANIC),
  }],
  ['lwm2mTimeToTimestamp', {
    inputs: 1,
    fromDevice: ([seconds]) => timestampFromSeconds(seconds),
    toDevice: secondsFromTimestamp,
  }],
  ['textsToIpAddresses', { inputs: 1, fromDevice: ([texts]) => ipAddresses(texts) }],
  ['firstInstance', {
    // One oneM2M value from a multiple resource (LwM2M /4/0/7 APN holds several, oneM2M apna is one string).
    inputs: 1,
    fromDevice: ([values]) => instanceValues(values)[0],
  }],
  ['opaqueToBase64', {
    inputs: 1,
    fromDevice: ([opaque]) => asBytes(opaque)?.toString('base64'),
    toDevice: (text) => (typeof text === 'string' && BASE64.test(text) ? Buffer.from(text, 'base64') : undefined),
  }],
]);

export const converterNames: readonly string[] = [...DEFINITIONS.keys()];

export function converterDefinition(name: string): ConverterDefinition | undefined {
  return DEFINITIONS.get(name);
}

function definition(name: string): ConverterDefinition {
  const found = DEFINITIONS.get(name);
  if (!found) throw new Error(`unknown converter "${name}" (known: ${converterNames.join(', ')})`);
  return found;
}

/**
 * Named converters of the attribute tables. Device garbage (out of range, wrong type) gives
 * `undefined` so the caller can report it; only an unknown converter name throws (the
 * table validator rejects those, so that is a programming error).
 */
export const converterRegistry: ConverterRegistry = {
  fromDevice(converter, values) {
    return converter === undefined ? values[0] : definition(converter).fromDevice(values);
  },
  toDevice(converter, value) {
    if (converter === undefined) return value;
    const { toDevice } = definition(converter);
    return toDevice ? toDevice(value) : undefined;
  },
};
