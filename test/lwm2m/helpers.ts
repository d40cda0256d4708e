import type { TestProxy } from '../helpers/proxy-harness.js';

/** Environment for a proxy whose CoAP timing suits tests (a silent peer is given up after ~0.4 s). */
export const FAST_COAP = { COAP_ACK_TIMEOUT_MS: '100', COAP_MAX_RETRANSMIT: '1' };

/** The admin API answers originators with the `admin` right; the embedded default grants it to CAdmin. */
export const ADMIN_HEADERS = { 'X-M2M-Origin': 'CAdmin' };

export async function getJson<T = Record<string, unknown>>(proxy: TestProxy, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(proxy.url(path), { headers: ADMIN_HEADERS });
  return { status: response.status, body: (await response.json()) as T };
}

export async function sendJson(proxy: TestProxy, method: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(proxy.url(path), {
    method,
    headers: { ...ADMIN_HEADERS, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A oneM2M resource by structured path, unwrapped from its `m2m:xxx` envelope; undefined when absent. */
export async function resource(proxy: TestProxy, path: string): Promise<Record<string, unknown> | undefined> {
  const response = await proxy.request('GET', path, { headers: { Accept: 'application/json' } });
  if (response.headers.get('x-m2m-rsc') !== '2000') return undefined;
  const body = (await response.json()) as Record<string, Record<string, unknown>>;
  return Object.values(body)[0];
}

/** A node's `<mgmtObj>` children straight from the tree (a oneM2M Retrieve of a mgmtObj would ask the device). */
export async function mgmtObjs(proxy: TestProxy, nodePath: string): Promise<Map<string, Record<string, unknown>>> {
  const node = await proxy.tree.resolve(nodePath);
  const children = await proxy.tree.children(node);
  return new Map(children.filter((child) => child.ty === 13).map((child) => [child.rn, child.attrs]));
}

/** Polls `check` until it returns a value other than undefined (bounded); `what` names the awaited condition in the error. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what?: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(what ? `timed out waiting for ${what}` : 'condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
