import { nodeNameForDevice } from '../../src/onem2m/resources/device-node-naming.js';
import { mgmtObjSpecByType } from '../../src/core/attribute-dictionary.js';
import { startTestProxy, type TestProxy } from '../helpers/proxy-harness.js';
import { FAST_COAP } from '../lwm2m/helpers.js';
import { startSimulatedDevice, type SimulatedDevice, type SimulatedDeviceOptions } from '../../src/sim/lwm2m/index.js';

/** CoAP gives up on a silent device after ~0.45 s; a blocking request without X-M2M-RET waits at most 1.5 s. */
export const TEST_ENV = { ...FAST_COAP, DEVICE_TIMEOUT_MS: '1500' };

export interface OneM2MAnswer {
  rsc: number;
  /** The resource unwrapped from its `m2m:xxx` envelope, or `{ 'm2m:dbg': ... }` for errors. */
  body: Record<string, any>;
  dbg?: string;
  headers: Headers;
}

export function startProxy(env: Record<string, string> = {}): Promise<TestProxy> {
  return startTestProxy({ ...TEST_ENV, ...env });
}

export interface ManagedDevice {
  device: SimulatedDevice;
  /** The device's `<node>`, e.g. `/proxy/dev:crud-1`. */
  node: string;
}

let counter = 0;

/** Starts a simulated device against the proxy and registers it; the caller closes it. */
export async function attachDevice(proxy: TestProxy, options: Partial<SimulatedDeviceOptions> = {}): Promise<ManagedDevice> {
  const endpoint = options.endpoint ?? `urn:dev:mgmt-${process.pid}-${++counter}`;
  const device = await startSimulatedDevice({ ...options, endpoint, server: { host: '127.0.0.1', port: proxy.coapPort } });
  try {
    const { code } = await device.register();
    if (code !== '2.01') throw new Error(`registration answered ${code}`);
  } catch (error) {
    device.close();
    throw error;
  }
  return { device, node: `/proxy/${nodeNameForDevice(endpoint)}` };
}

/** A oneM2M request (JSON) with the default originator; the answer unwrapped. */
export async function oneM2M(proxy: TestProxy, method: string, path: string, content?: unknown, headers: Record<string, string> = {}): Promise<OneM2MAnswer> {
  const contentHeaders: Record<string, string> = content === undefined ? {} : { 'Content-Type': 'application/json' };
  const response = await proxy.request(method, path, {
    body: content === undefined ? undefined : JSON.stringify(content),
    headers: { Accept: 'application/json', ...contentHeaders, ...headers },
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, any>) : {};
  const rsc = Number(response.headers.get('x-m2m-rsc'));
  const dbg = typeof parsed['m2m:dbg'] === 'string' ? parsed['m2m:dbg'] : undefined;
  const body = dbg === undefined && Object.keys(parsed).length === 1 ? Object.values(parsed)[0] : parsed;
  return { rsc, body, dbg, headers: response.headers };
}

/** `{ 'm2m:fwr': attributes }` for an Update or Create of a mgmtObj type. */
export function wrap(type: string, attributes: Record<string, unknown>): Record<string, unknown> {
  const spec = mgmtObjSpecByType(type);
  if (!spec) throw new Error(`unknown mgmtObj type ${type}`);
  return { [spec.rootKey]: attributes };
}

/** Requests the device received since `from` (an index into device.requests), as `METHOD /path`. */
export function sentSince(device: SimulatedDevice, from: number): string[] {
  return device.requests.slice(from).map((request) => `${request.method} ${request.path}`);
}
