import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/core/config.js';
import { NODE_SPEC } from '../../src/core/attribute-dictionary.js';
import { ResourceTree } from '../../src/onem2m/resources/resource-tree.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { startTestProxy, type TestProxy } from '../helpers/proxy-harness.js';

const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json;ty=14' };

async function createNodes(proxy: TestProxy, names: string[]): Promise<void> {
  for (const rn of names) {
    const created = await proxy.request('POST', '/proxy', { body: JSON.stringify({ 'm2m:nod': { rn, ni: `ni-${rn}` } }), headers: JSON_HEADERS });
    assert.equal(created.headers.get('x-m2m-rsc'), '2001', rn);
  }
}

async function discover(proxy: TestProxy, query: string, originator = 'CAdmin'): Promise<{ uris: string[]; cts: string | null; cto: string | null; rsc: string | null }> {
  const answer = await proxy.request('GET', `/proxy?fu=1&${query}`, { headers: { Accept: 'application/json', 'X-M2M-Origin': originator } });
  const rsc = answer.headers.get('x-m2m-rsc');
  const content = (await answer.json()) as { 'm2m:uril'?: string[] };
  return { uris: content['m2m:uril'] ?? [], cts: answer.headers.get('x-m2m-cts'), cto: answer.headers.get('x-m2m-cto'), rsc };
}

const names = (prefix: string, from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

test('discovery pages: lim, ofst, DISCOVERY_DEFAULT_LIMIT and DISCOVERY_MAX_LIMIT; X-M2M-CTS/CTO while more matches exist', async (t) => {
  const proxy = await startTestProxy({ DISCOVERY_DEFAULT_LIMIT: '4', DISCOVERY_MAX_LIMIT: '6' });
  t.after(() => proxy.stop(true));
  await createNodes(proxy, names('n', 0, 10));
  const all = names('proxy/n', 0, 10);

  const first = await discover(proxy, 'ty=14');
  assert.deepEqual(first, { uris: all.slice(0, 4), cts: '1', cto: '4', rsc: '2000' }, 'no lim: the default page, and where to go on');
  assert.deepEqual(await discover(proxy, `ty=14&ofst=${first.cto}`), { uris: all.slice(4, 8), cts: '1', cto: '8', rsc: '2000' });
  assert.deepEqual(await discover(proxy, 'ty=14&ofst=8'), { uris: all.slice(8), cts: null, cto: null, rsc: '2000' }, 'the last page is complete');
  assert.deepEqual(await discover(proxy, 'ty=14&lim=100'), { uris: all.slice(0, 6), cts: '1', cto: '6', rsc: '2000' }, 'lim above the maximum: the maximum');
  assert.deepEqual(await discover(proxy, 'ty=14&lim=3&ofst=2'), { uris: all.slice(2, 5), cts: '1', cto: '5', rsc: '2000' });
  assert.deepEqual(await discover(proxy, 'ty=14&lim=10&ofst=5'), { uris: all.slice(5, 10).slice(0, 6), cts: null, cto: null, rsc: '2000' });
  assert.deepEqual(await discover(proxy, 'ty=14&lim=0'), { uris: [], cts: '1', cto: '0', rsc: '2000' });
  assert.deepEqual(await discover(proxy, 'ty=14&ofst=50'), { uris: [], cts: null, cto: null, rsc: '2000' }, 'past the end: nothing, complete');
  assert.deepEqual(await discover(proxy, 'ty=14+2+9999&lim=2'), { uris: all.slice(0, 2), cts: '1', cto: '2', rsc: '2000' }, 'types never stored match nothing');
  assert.deepEqual((await discover(proxy, 'ty=9999')).uris, []);

  let collected: string[] = [];
  for (let offset: string | null = '0'; offset !== null;) {
    const page = await discover(proxy, `lim=3&ofst=${offset}`);
    collected = [...collected, ...page.uris];
    offset = page.cto;
  }
  assert.deepEqual(collected, all, 'following X-M2M-CTO visits every match once, in creation order');

  for (const bad of ['ofst=-1', 'ofst=x', 'ofst=1&ofst=2', 'lim=1.5']) assert.equal((await discover(proxy, bad)).rsc, '4000', bad);
});

test('a restricted originator pages over what it may see only: ofst and X-M2M-CTO count its visible matches', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'discovery-access-'));
  const accessFile = join(dir, 'access.yaml');
  writeFileSync(accessFile, 'originators:\n  - id: CAdmin\n    operations: [create, retrieve, update, delete, notify, discover, admin]\n  - id: CSite\n    operations: [retrieve, discover]\n    nodes: ["site-a-*"]\n');
  const proxy = await startTestProxy({ ACCESS_FILE: accessFile, DISCOVERY_DEFAULT_LIMIT: '3' });
  t.after(async () => {
    await proxy.stop(true);
    rmSync(dir, { recursive: true, force: true });
  });
  const interleaved = Array.from({ length: 6 }, (_, i) => [`site-a-${i}`, `site-b-${i}`]).flat();
  await createNodes(proxy, interleaved);
  const visible = names('proxy/site-a-', 0, 6);
  assert.deepEqual(await discover(proxy, 'ty=14', 'CSite'), { uris: visible.slice(0, 3), cts: '1', cto: '3', rsc: '2000' });
  assert.deepEqual(await discover(proxy, 'ty=14&ofst=3', 'CSite'), { uris: visible.slice(3), cts: null, cto: null, rsc: '2000' });
  assert.deepEqual((await discover(proxy, 'ty=14&ofst=3', 'CAdmin')).uris, ['proxy/site-b-1', 'proxy/site-a-2', 'proxy/site-b-2']);
});

test('a discovery over a large tree leaves the process answering: /healthz stays quick while several scan everything', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'discovery-large-'));
  const config = loadConfig({ DATA_DIR: dir });
  const store = openSqliteStore(dir);
  const tree = await ResourceTree.open(store.resources, config);
  const nodes = Array.from({ length: 40_000 }, (_, i) => tree.newChild(tree.cseBase, NODE_SPEC, { rn: `big-${i}`, ni: `ni-${i}`, lbl: ['fleet'] }, {}));
  await tree.commit(nodes);
  await store.close();
  const proxy = await startTestProxy({}, dir);
  t.after(() => proxy.stop(true));

  // A label nobody carries: every discovery examines all 40,000 resources and finds nothing.
  const scans = Array.from({ length: 4 }, () => discover(proxy, 'lbl=absent'));
  let done = false;
  void Promise.all(scans).finally(() => (done = true));
  const healthz: number[] = [];
  while (!done) {
    const started = performance.now();
    const answer = await fetch(proxy.url('/healthz'));
    await answer.arrayBuffer();
    healthz.push(performance.now() - started);
  }
  for (const scan of await Promise.all(scans)) assert.deepEqual(scan, { uris: [], cts: null, cto: null, rsc: '2000' });
  assert.ok(healthz.length >= 2, `/healthz answered ${healthz.length} times while the scans ran`);
  assert.ok(Math.max(...healthz) < 250, `/healthz took up to ${Math.round(Math.max(...healthz))} ms while the scans ran`);
  assert.deepEqual((await discover(proxy, 'lbl=fleet&lim=2&ofst=39999')).uris, ['proxy/big-39999']);
});
