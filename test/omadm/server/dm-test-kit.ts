import assert from 'node:assert/strict';
import { request } from 'node:http';
import { md5CredentialData } from '../../../src/omadm/v13/auth/index.js';
import { type Command, type Status, SYNCML_DM_XML, type SyncmlMessage, decodeSyncml, encodeSyncml } from '../../../src/omadm/v13/codec/index.js';
import type { TechnologyModule } from '../../../src/core/technology-module.js';
import { lwm2mModule } from '../../../src/lwm2m/index.js';
import type { ModuleDeps } from '../../../src/modules.js';
import { type RunningOmadm, startOmadm } from '../../../src/omadm/index.js';
import { loadOmadmSettings } from '../../../src/omadm/settings.js';
import { SimulatedDmDevice, type DmDeviceOptions } from '../../../src/sim/omadm/index.js';
import { type TestProxy, startTestProxy } from '../../helpers/proxy-harness.js';

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

/** A DM 1.2 message of session 7 (md5 Cred over the kit's credentials and no nonce when `withCred`). */
export function message(devId: string, msgId: number, body: Command[], final: boolean, withCred: boolean, target: string): SyncmlMessage {
  return {
    header: {
      verDtd: '1.2', verProto: 'DM/1.2', sessionId: '7', msgId: String(msgId), target: { locUri: target },
      source: { locUri: devId, locName: CREDENTIALS.client.user },
      ...(withCred ? { cred: { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: md5CredentialData(CREDENTIALS.client.user, CREDENTIALS.client.secret, undefined) } } : {}),
    },
    body,
    final,
  };
}

/** One POST on a fresh connection (a pooled one would point at the proxy that was stopped). */
export async function post(url: string, sent: SyncmlMessage): Promise<SyncmlMessage> {
  const response = await new Promise<{ status?: number; type?: string; body: Buffer }>((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': SYNCML_DM_XML } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(encodeSyncml(sent));
  });
  assert.equal(response.status, 200);
  assert.equal(response.type, SYNCML_DM_XML);
  return decodeSyncml(response.body);
}

export const statusOf = (answer: SyncmlMessage, cmdRef: string): Status | undefined =>
  answer.body.find((command): command is Status => command.kind === 'Status' && command.cmdRef === cmdRef);

/** The proxy with its omadm module at hand (the adapter's seam: the command queue and the session events). */
export async function proxyWithOmadm(env: Record<string, string> = {}, dataDir?: string) {
  let omadm: RunningOmadm | undefined;
  const capturing: TechnologyModule<ModuleDeps> = {
    name: 'omadm',
    loadSettings(env) {
      const settings = loadOmadmSettings(env);
      return async (deps) => (omadm = await startOmadm(deps, settings));
    },
  };
  const proxy = await startTestProxy(env, dataDir, [lwm2mModule, capturing]);
  return { proxy, omadm: omadm! };
}
