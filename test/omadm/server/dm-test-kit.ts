import { SimulatedDmDevice, type DmDeviceOptions } from '../../../src/sim/omadm/index.js';
import type { TestProxy } from '../../helpers/proxy-harness.js';

/** The proxy's DM 1.2/1.3 URL. */
export function dmUrl(proxy: TestProxy, path = '/dm'): string {
  return `http://127.0.0.1:${proxy.listeners['omadm-http'].port}${path}`;
}

export function admin(proxy: TestProxy, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(proxy.url(`/admin/omadm${path}`), {
    method,
    headers: { 'X-M2M-Origin': 'CAdmin', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const CREDENTIALS = { auth: 'md5', client: { user: 'dev', secret: 'device-secret' }, server: { id: 'dm-proxy', secret: 'server-secret' } };

export async function enrol(proxy: TestProxy, devId: string, credentials: unknown = CREDENTIALS): Promise<void> {
  const response = await admin(proxy, 'PUT', `/devices/${encodeURIComponent(devId)}`, credentials);
  if (response.status !== 201 && response.status !== 200) throw new Error(`PUT credentials: ${response.status} ${await response.text()}`);
}

/** A simulated device with the kit's credentials (md5 both ways), closed when the test ends. */
export function device(t: { after(fn: () => unknown): void }, proxy: TestProxy, options: Partial<DmDeviceOptions> & { devId: string }): SimulatedDmDevice {
  const sim = new SimulatedDmDevice({
    server: dmUrl(proxy),
    user: CREDENTIALS.client.user,
    secret: CREDENTIALS.client.secret,
    serverSecret: CREDENTIALS.server.secret,
    auth: 'md5',
    ...options,
  });
  t.after(() => sim.close());
  return sim;
}

/** The node's resource as JSON, or the RSC when there is none. */
export async function readNode(proxy: TestProxy, name: string): Promise<{ rsc: string | null; node?: Record<string, unknown>; children: string }> {
  const response = await proxy.request('GET', `/proxy/${name}`);
  const rsc = response.headers.get('x-m2m-rsc');
  if (rsc !== '2000') return { rsc, children: '' };
  const node = ((await response.json()) as Record<string, Record<string, unknown>>)['m2m:nod'];
  const children = await (await proxy.request('GET', `/proxy/${name}?rcn=6`)).text();
  return { rsc, node, children };
}
