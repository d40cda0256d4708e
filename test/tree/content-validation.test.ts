import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation, type ResponsePrimitive } from '../../src/core/primitives.js';
import { createNode, openHarness, type TreeHarness } from './tree-harness.js';
import { ScriptedDeviceAdapter } from './scripted-device-adapter.js';

function expect400(response: ResponsePrimitive, dbg: RegExp, label: string): void {
  assert.equal(response.rsc, 4000, `${label}: ${JSON.stringify(response.pc)}`);
  assert.match(String(response.pc?.['m2m:dbg']), dbg, label);
}

async function deviceHarness(): Promise<{ h: TreeHarness; adapter: ScriptedDeviceAdapter }> {
  const h = await openHarness();
  const adapter = new ScriptedDeviceAdapter();
  h.adapters.register(adapter);
  await h.devices.upsertDevice({
    protocol: 'lwm2m', deviceId: 'dev', address: 'coap://127.0.0.1:1', online: true,
    mgmtObjs: ['reboot', 'software', 'deviceCapability', 'battery', 'deviceInfo', 'firmware'].map((type) => ({ type, rn: type, obis: [], obps: [] })),
  });
  return { h, adapter };
}

test('Create: unknown attribute, wrong type, missing mandatory, NP and read-only attributes are 4000 naming the attribute', async (t) => {
  const { h, adapter } = await deviceHarness();
  t.after(() => h.close());
  const cases: Array<[string, number, Record<string, unknown>, RegExp]> = [
    ['proxy', 14, { 'm2m:nod': { ni: 'x', colour: 'red' } }, /unknown attribute "colour"/],
    ['proxy', 14, { 'm2m:nod': { ni: 42 } }, /"ni" must be string/],
    ['proxy', 14, { 'm2m:nod': { rn: 'x' } }, /mandatory attribute "ni" \(nodeID\) is missing/],
    ['proxy', 14, { 'm2m:nod': { ni: 'x', ri: 'mine' } }, /"ri" \(resourceID\) is read-only/],
    ['proxy', 14, { 'm2m:nod': { ni: 'x', ct: '20260101T000000' } }, /"ct" \(creationTime\) is read-only/],
    ['proxy', 14, { 'm2m:nod': { ni: 'x', lbl: 'not-a-list' } }, /"lbl" must be array/],
    ['proxy', 14, { 'm2m:nod': { ni: 'x', lbl: [1] } }, /"lbl\/0" must be string/],
    ['proxy', 14, { 'm2m:nod': { ni: 'x', et: 'tomorrow' } }, /"et" must match pattern/],
    ['proxy', 14, { 'm2m:nod': { ni: 'x', rn: 'a/b' } }, /"rn" must match pattern/],
    ['proxy', 14, { 'm2m:nod': { ni: 'x', rn: '..' } }, /"rn" must match pattern/],
    ['proxy/dev', 13, { 'm2m:fwr': { mgd: 1001, vr: '1', fwn: 'f', url: 'http://x' } }, /mandatory attribute "ud"/],
    ['proxy/dev', 13, { 'm2m:fwr': { mgd: 1001, vr: '1', fwn: 'f', url: 'http://x', ud: false, uds: { acn: '', sus: 0 } } }, /"uds" \(updateStatus\) is not permitted in Create/],
    ['proxy/dev', 13, { 'm2m:fwr': { mgd: 1002, vr: '1', fwn: 'f', url: 'u', ud: false } }, /"mgd" must be 1001/],
    ['proxy/dev', 13, { 'm2m:bat': { mgd: 1006, btl: 101, bts: 1 } }, /"btl" must be <= 100/],
    ['proxy/dev', 13, { 'm2m:bat': { mgd: 1006, btl: 50, bts: 9 } }, /"bts" must be one of 1, 2, 3, 4, 5, 6, 7/],
    ['proxy/dev', 13, { 'm2m:bat': { mgd: 1006, btl: 50.5, bts: 1 } }, /"btl" must be integer/],
    ['proxy/dev', 13, { 'm2m:dvc': { mgd: 1008, can: 'c', att: true, cus: true, cas: { acn: '', sus: 7 } } }, /"cas\/sus" must be one of 0, 1, 2, 3/],
    ['proxy/dev', 13, { 'm2m:dvc': { mgd: 1008, can: 'c', att: true, cus: true, cas: { acn: '', sus: 0, extra: 1 } } }, /"cas" has an unknown member "extra"/],
    ['proxy/dev', 13, { 'm2m:rbo': { mgd: 1009, rbo: 'true' } }, /"rbo" must be boolean/],
    ['proxy/dev', 13, { 'm2m:rbo': { mgd: 1009, mgs: 'x' } }, /unknown attribute "mgs"/],
    ['proxy/dev', 13, { 'm2m:xyz': { mgd: 1009 } }, /"m2m:xyz" is not a resource of type ty=13/],
    ['proxy', 14, { 'm2m:fwr': { mgd: 1001 } }, /"m2m:fwr" is not a resource of type ty=14/],
    ['proxy', 14, { 'm2m:nod': { ni: 'x' }, 'm2m:bat': {} }, /one root element/],
    ['proxy', 14, {}, /no content/],
    ['proxy', 14, { 'm2m:nod': [{ ni: 'x' }] }, /must be an object/],
    ['proxy', 14, { 'm2m:nod': null }, /must be an object/],
    ['proxy', 14, { 'm2m:nod': JSON.parse('{"ni":"x","__proto__":{"polluted":true}}') }, /unknown attribute "__proto__"/],
  ];
  for (const [to, ty, pc, dbg] of cases) expect400(await h.request({ op: Operation.Create, to, ty, pc }), dbg, JSON.stringify(pc));
  expect400(await h.request({ op: Operation.Create, to: 'proxy', ty: 14 }), /no content/, 'no pc');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(adapter.calls.length, 0, 'invalid content never reaches the device');
});

test('Update: NP and read-only attributes, wrong types and a wrong root are 4000', async (t) => {
  const { h, adapter } = await deviceHarness();
  t.after(() => h.close());
  await createNode(h, 'plain');
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['proxy/plain', { 'm2m:nod': { rn: 'renamed' } }, /"rn" \(resourceName\) is not permitted in Update/],
    ['proxy/plain', { 'm2m:nod': { ty: 14 } }, /"ty" \(resourceType\) is read-only/],
    ['proxy/plain', { 'm2m:nod': { lt: '20260101T000000' } }, /"lt" \(lastModifiedTime\) is read-only/],
    ['proxy/plain', { 'm2m:nod': { rms: 'yes' } }, /"rms" must be boolean/],
    ['proxy/plain', { 'm2m:fwr': { vr: '2' } }, /does not match the target, a m2m:nod/],
    ['proxy/dev/deviceInfo', { 'm2m:dvi': { man: 'ACME' } }, /"man" \(manufacturer\) is not permitted in Update/],
    ['proxy/dev/deviceInfo', { 'm2m:dvi': { mgd: 1007 } }, /"mgd" \(mgmtDefinition\) is not permitted in Update/],
    ['proxy/dev/deviceInfo', { 'm2m:dvi': { obis: ['urn:oma:lwm2m:oma:3'] } }, /"obis" \(objectIDs\) is not permitted in Update/],
    ['proxy/dev/deviceInfo', { 'm2m:dvi': { syst: 'now' } }, /"syst" must match pattern/],
    ['proxy/dev/battery', { 'm2m:bat': { btl: -1 } }, /"btl" must be >= 0/],
    ['proxy/dev/battery', { 'm2m:bat': { unknownThing: 1 } }, /unknown attribute "unknownThing" for m2m:bat/],
  ];
  for (const [to, pc, dbg] of cases) expect400(await h.request({ op: Operation.Update, to, pc }), dbg, `${to} ${JSON.stringify(pc)}`);
  assert.equal(adapter.calls.length, 0);
});

test('Update with both flags of a conflicting executable pair true is 4000; one of them alone reaches the device', async (t) => {
  const { h, adapter } = await deviceHarness();
  t.after(() => h.close());
  const pairs: Array<[string, string, string, string]> = [
    ['reboot', 'm2m:rbo', 'rbo', 'far'],
    ['software', 'm2m:swr', 'in', 'un'],
    ['software', 'm2m:swr', 'act', 'dea'],
    ['deviceCapability', 'm2m:dvc', 'ena', 'dis'],
  ];
  for (const [rn, root, a, b] of pairs) {
    expect400(
      await h.request({ op: Operation.Update, to: `proxy/dev/${rn}`, pc: { [root]: { [a]: true, [b]: true } } }),
      new RegExp(`"${a}" and "${b}" must not both be true`),
      `${a}+${b}`,
    );
  }
  assert.equal(adapter.calls.length, 0);
  for (const [rn, root, a, b] of pairs) {
    const response = await h.request({ op: Operation.Update, to: `proxy/dev/${rn}`, pc: { [root]: { [a]: true, [b]: false } } });
    assert.equal(response.rsc, 2004, `${a}=true ${b}=false`);
  }
  assert.equal(adapter.calls.length, pairs.length);
});

test('hostile content: deep nesting and long lists are judged, not crashed on', async (t) => {
  const { h } = await deviceHarness();
  t.after(() => h.close());
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 5000; i++) deep = { acn: deep };
  expect400(await h.request({ op: Operation.Update, to: 'proxy/dev/firmware', pc: { 'm2m:fwr': { uds: deep } } }), /"uds\/acn" must be string/, 'deep');
  const many = Array.from({ length: 100_000 }, (_, i) => `label-${i}`);
  many.push(7 as unknown as string);
  expect400(await h.request({ op: Operation.Update, to: 'proxy/dev/firmware', pc: { 'm2m:fwr': { lbl: many } } }), /"lbl\/100000" must be string/, 'long list');
});
