import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REQUEST_SPEC } from '../../src/core/attribute-dictionary.js';
import { Operation } from '../../src/core/primitives.js';
import type { DescendantQuery, ResourceStore } from '../../src/store/resource-store.js';
import { createNode, openHarness } from './tree-harness.js';

const ACCESS = `
originators:
  - id: CAdmin
    operations: [create, retrieve, update, delete, notify, discover, admin]
  - id: CEveryNode
    operations: [retrieve, discover]
  - id: CSite
    operations: [retrieve, discover]
    nodes: ["site-a-*"]
`;

/** The tree's resource store, recording every findDescendants query it is asked. */
function recording(queries: DescendantQuery[]): (store: ResourceStore) => ResourceStore {
  return (store) => ({
    ...store,
    getResource: (ri) => store.getResource(ri),
    getResourceByPath: (p) => store.getResourceByPath(p),
    listChildren: (pi) => store.listChildren(pi),
    putResource: (resource) => store.putResource(resource),
    putResources: (...args) => store.putResources(...args),
    deleteResource: (ri) => store.deleteResource(ri),
    findDescendants: (query) => {
      queries.push(query);
      return store.findDescendants(query);
    },
  });
}

test('ofst is counted in the store only when the originator sees every match; pages are the same either way', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'discovery-offset-'));
  const accessFile = path.join(dir, 'access.yaml');
  fs.writeFileSync(accessFile, ACCESS);
  const queries: DescendantQuery[] = [];
  const h = await openHarness({ ACCESS_FILE: accessFile }, path.join(dir, 'data'), recording(queries));
  t.after(async () => {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 6; i++) {
    await createNode(h, `site-a-${i}`);
    await createNode(h, `site-b-${i}`);
    // a `<request>` of somebody else's, which only an admin sees
    const request = h.tree.newChild(h.tree.cseBase, REQUEST_SPEC, { op: 2, tg: 'proxy', org: 'COther', rid: `r${i}` }, {});
    await h.tree.commit([request]);
  }
  const discover = async (fr: string, fc: Record<string, unknown>) => {
    queries.length = 0;
    const response = await h.request({ op: Operation.Retrieve, to: 'proxy', fr, fc: { fu: 1, ...fc } });
    assert.equal(response.rsc, 2000, JSON.stringify(response));
    return { uris: (response.pc as { 'm2m:uril': string[] })['m2m:uril'], skipped: queries.some((query) => (query.skip ?? 0) > 0) };
  };

  const cases: Array<{ fr: string; fc: Record<string, unknown>; countsInStore: boolean; matches: number }> = [
    { fr: 'CAdmin', fc: {}, countsInStore: true, matches: 18 },
    { fr: 'CAdmin', fc: { ty: [14] }, countsInStore: true, matches: 12 },
    { fr: 'CEveryNode', fc: { ty: [14] }, countsInStore: true, matches: 12 },
    { fr: 'CEveryNode', fc: {}, countsInStore: false, matches: 12 },
    { fr: 'CEveryNode', fc: { ty: [17, 14] }, countsInStore: false, matches: 12 },
    { fr: 'CSite', fc: { ty: [14] }, countsInStore: false, matches: 6 },
  ];
  for (const { fr, fc, countsInStore, matches } of cases) {
    const label = `${fr} ${JSON.stringify(fc)}`;
    const all = await discover(fr, { ...fc, lim: 100 });
    assert.equal(all.uris.length, matches, label);
    assert.equal(all.skipped, false, `${label}: nothing to skip without ofst`);
    for (const ofst of [1, 5, matches - 1, matches, matches + 3]) {
      const page = await discover(fr, { ...fc, lim: 3, ofst });
      assert.deepEqual(page.uris, all.uris.slice(ofst, ofst + 3), `${label} ofst=${ofst}`);
      assert.equal(page.skipped, countsInStore, `${label} ofst=${ofst}: counted in the store`);
    }
  }
});
