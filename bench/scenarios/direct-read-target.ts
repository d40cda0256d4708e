import { FormatPreferences } from '../../src/lwm2m/management/format-negotiation.js';
import type { Lwm2mClientInfo } from '../../src/lwm2m/downlink.js';
import type { LoadTarget } from '../load/load-spec.js';
import type { ProxyProcess } from '../processes/proxy-process.js';

interface RegistrationView {
  endpoint: string;
  registrationId: string;
  address: string;
  version: string;
  binding: string;
  queueMode: boolean;
  rootPath: string;
  preferredFormat?: number;
}

/**
 * The direct CoAP read of an instance that the proxy would send for a Retrieve: to the address the device registered
 * from (the proxy's admin API), under its root path, with the Accept the proxy tries first for that client.
 */
export async function directReadTarget(proxy: ProxyProcess, endpoint: string, instance: [number, number]): Promise<Extract<LoadTarget, { kind: 'coap' }>> {
  const response = await proxy.request('GET', `/admin/lwm2m/registrations/${encodeURIComponent(endpoint)}`);
  if (response.status !== 200) throw new Error(`the proxy has no registration of ${endpoint} (HTTP ${response.status})`);
  const registration = (await response.json()) as RegistrationView;
  const address = new URL(registration.address);
  const host = address.hostname.replace(/^\[|\]$/g, '');
  const rootPath = registration.rootPath === '/' ? '' : registration.rootPath;
  const client: Lwm2mClientInfo = { ...registration, address: host, port: Number(address.port), rootPath, objects: [], lastSeen: Date.now(), online: true };
  const accept = new FormatPreferences().multiValueFormats(client)[0];
  if (accept === undefined) throw new Error(`${endpoint} reads as plain text only; the direct read has no multi-value format to ask for`);
  const root = rootPath.split('/').filter((segment) => segment !== '');
  return { kind: 'coap', host, port: client.port, path: [...root, ...instance.map(String)], accept };
}
