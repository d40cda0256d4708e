import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/core/config.js';
import { loadAccessPolicy } from '../../src/onem2m/access-control.js';
import { Operation } from '../../src/core/primitives.js';
import { createNode, openHarness } from './tree-harness.js';

function writeTemp(name: string, content: string): { file: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'access-test-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const POLICY_YAML = `
originators:
  - id: CAdmin
    operations: [create, retrieve, update, delete, notify, discover]
  - id: CReader
    operations: [retrieve, discover]
  - id: CSite
    operations: [create, retrieve, update, delete, discover]
    nodes: ["site-a-*", "/dev-[0-9]+/"]
  - id: "*"
    operations: [retrieve]
    nodes: [public]
`;

test('the embedded default admits CAdmin with every right and nobody else', () => {
  const policy = loadAccessPolicy(loadConfig({}));
  for (const op of ['create', 'retrieve', 'update', 'delete', 'notify', 'discover'] as const) assert.equal(policy.deniedReason('CAdmin', op), undefined);
  assert.match(String(policy.deniedReason('Cstranger', 'retrieve')), /"Cstranger" is not known/);
  assert.equal(policy.allowsNode('CAdmin', 'anything'), true);
  assert.equal(policy.allowsNode('Cstranger', 'anything'), false);
  assert.equal(policy.allowsEveryNode('CAdmin'), true);
  assert.equal(policy.allowsEveryNode('Cstranger'), false, 'an unknown originator sees no node');
});

test('a YAML or JSON access file sets operations, node patterns (glob or /regex/) and a wildcard originator', () => {
  const yamlFile = writeTemp('access.yaml', POLICY_YAML);
  const jsonFile = writeTemp('access.json', JSON.stringify({ originators: [{ id: 'CJson', operations: ['retrieve'] }] }));
  try {
    const policy = loadAccessPolicy(loadConfig({ ACCESS_FILE: yamlFile.file }));
    assert.equal(policy.deniedReason('CReader', 'retrieve'), undefined);
    assert.match(String(policy.deniedReason('CReader', 'update')), /"CReader" may not update/);
    assert.equal(policy.allowsNode('CSite', 'site-a-17'), true);
    assert.equal(policy.allowsNode('CSite', 'dev-42'), true);
    assert.equal(policy.allowsNode('CSite', 'dev-42x'), false, 'patterns match the whole name');
    assert.equal(policy.allowsNode('CSite', 'site-b-1'), false);
    assert.equal(policy.allowsNode('CSite', 'xsite-a-1'), false);
    assert.equal(policy.deniedReason('Canybody', 'retrieve'), undefined, 'the wildcard covers unknown originators');
    assert.match(String(policy.deniedReason('Canybody', 'delete')), /may not delete/);
    assert.equal(policy.allowsNode('Canybody', 'public'), true);
    assert.equal(policy.allowsNode('Canybody', 'private'), false);
    assert.equal(policy.allowsNode('CReader', 'private'), true, 'an exact entry wins over the wildcard');
    assert.equal(policy.allowsEveryNode('CReader'), true, 'no node patterns: every node');
    assert.equal(policy.allowsEveryNode('CSite'), false);
    assert.equal(policy.allowsEveryNode('Canybody'), false, 'the wildcard has node patterns');
    assert.equal(policy.allowsEveryNode('CAdmin'), true);

    const fromJson = loadAccessPolicy(loadConfig({ ACCESS_FILE: jsonFile.file }));
    assert.equal(fromJson.deniedReason('CJson', 'retrieve'), undefined);
    assert.match(String(fromJson.deniedReason('CAdmin', 'retrieve')), /not known/, 'a file replaces the default');
  } finally {
    yamlFile.cleanup();
    jsonFile.cleanup();
  }
});

test('a missing or invalid access file stops the start with a message naming the file and the problem', () => {
  assert.throws(() => loadAccessPolicy(loadConfig({ ACCESS_FILE: '/nonexistent/access.yaml' })), /access file \/nonexistent\/access.yaml: cannot be read/);
  const cases: Array<[string, RegExp]> = [
    ['originators: [unclosed', /not valid YAML or JSON/],
    ['just a string', /invalid access policy: \/ must be object/],
    ['{}', /must have required property 'originators'/],
    ['originators: [{ id: CX, operations: [fly] }]', /operations\/0 must be equal to one of the allowed values/],
    ['originators: [{ operations: [retrieve] }]', /must have required property 'id'/],
    ['originators: [{ id: CX, operations: [retrieve], role: admin }]', /must NOT have additional properties/],
    ['originators: [{ id: CX, operations: [retrieve] }, { id: CX, operations: [create] }]', /"CX" is listed twice/],
    ['originators: [{ id: CX, operations: [retrieve], nodes: ["/([a-z/"] }]', /node pattern "\/\(\[a-z\/" is not a valid regular expression/],
  ];
  for (const [content, message] of cases) {
    const temp = writeTemp('access.yaml', content);
    try {
      assert.throws(() => loadAccessPolicy(loadConfig({ ACCESS_FILE: temp.file })), (error: Error) => {
        assert.match(error.message, /access file .*access\.yaml/, content);
        assert.match(error.message, message, content);
        return true;
      });
    } finally {
      temp.cleanup();
    }
  }
});

test('the dispatcher checks access first: unknown originator and forbidden operation 4103, node patterns restrict subtrees', async (t) => {
  const policy = writeTemp('access.yaml', POLICY_YAML);
  const h = await openHarness({ ACCESS_FILE: policy.file });
  t.after(async () => {
    await h.close();
    policy.cleanup();
  });
  await createNode(h, 'site-a-1');
  await createNode(h, 'other');
  await createNode(h, 'public');

  const stranger = await h.request({ op: Operation.Retrieve, to: 'proxy/no-such-node', fr: 'Cstranger', fc: { fu: 1 } });
  assert.equal(stranger.rsc, 4103, 'access is checked before the target is resolved');
  assert.match(String(stranger.pc?.['m2m:dbg']), /"Cstranger" may not discover/);

  const readerUpdate = await h.request({ op: Operation.Update, to: 'proxy/other', fr: 'CReader', pc: { 'm2m:nod': { nid: 'x' } } });
  assert.equal(readerUpdate.rsc, 4103);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/other', fr: 'CReader' })).rsc, 2000);
  assert.equal((await h.request({ op: Operation.Notify, to: 'proxy', fr: 'CReader' })).rsc, 4103);

  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/site-a-1', fr: 'CSite' })).rsc, 2000);
  const forbidden = await h.request({ op: Operation.Retrieve, to: 'proxy/other', fr: 'CSite' });
  assert.equal(forbidden.rsc, 4103);
  assert.match(String(forbidden.pc?.['m2m:dbg']), /may not access node "other"/);
  const otherRi = String((await h.tree.resolve('proxy/other')).ri);
  assert.equal((await h.request({ op: Operation.Delete, to: otherRi, fr: 'CSite' })).rsc, 4103, 'unstructured targets are checked too');

  const created = await h.request({ op: Operation.Create, to: 'proxy', fr: 'CSite', ty: 14, pc: { 'm2m:nod': { rn: 'site-a-2', ni: 'x' } } });
  assert.equal(created.rsc, 2001);
  const refused = await h.request({ op: Operation.Create, to: 'proxy', fr: 'CSite', ty: 14, pc: { 'm2m:nod': { rn: 'elsewhere', ni: 'x' } } });
  assert.equal(refused.rsc, 4103);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/elsewhere' })).rsc, 4004);

  const discovered = await h.request({ op: Operation.Retrieve, to: 'proxy', fr: 'CSite', fc: { fu: 1 } });
  assert.deepEqual(discovered.pc, { 'm2m:uril': ['proxy/site-a-1', 'proxy/site-a-2'] });
  const refs = await h.request({ op: Operation.Retrieve, to: 'proxy', fr: 'Canyone', rcn: 6 });
  assert.deepEqual(refs.pc, { 'm2m:rrl': { rrf: [{ nm: 'public', typ: 14, val: 'proxy/public' }] } });
  const nested = await h.request({ op: Operation.Retrieve, to: 'proxy', fr: 'CSite', rcn: 4 });
  assert.deepEqual(((nested.pc!['m2m:cb'] as Record<string, unknown>)['m2m:nod'] as Array<{ rn: string }>).map((n) => n.rn), ['site-a-1', 'site-a-2']);
});
