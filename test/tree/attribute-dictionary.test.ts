import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CSE_BASE_SPEC, MGMT_OBJ_SPECS, NODE_SPEC, attributeInfo, mgmtObjSpecByMgd, mgmtObjSpecByRootKey, mgmtObjSpecByType, resourceSpecByRootKey,
} from '../../src/core/attribute-dictionary.js';

const EXPECTED: Array<[string, number, string]> = [
  ['firmware', 1001, 'm2m:fwr'], ['software', 1002, 'm2m:swr'], ['memory', 1003, 'm2m:mem'], ['areaNwkInfo', 1004, 'm2m:ani'],
  ['areaNwkDeviceInfo', 1005, 'm2m:andi'], ['battery', 1006, 'm2m:bat'], ['deviceInfo', 1007, 'm2m:dvi'],
  ['deviceCapability', 1008, 'm2m:dvc'], ['reboot', 1009, 'm2m:rbo'], ['eventLog', 1010, 'm2m:evl'],
  ['cmdhPolicy', 1011, 'm2m:cmp'], ['activeCmdhPolicy', 1012, 'm2m:acmp'], ['cmdhDefaults', 1013, 'm2m:cmdf'],
  ['cmdhDefEcValue', 1014, 'm2m:cmdv'], ['cmdhEcDefParamValues', 1015, 'm2m:cmpv'], ['cmdhLimits', 1016, 'm2m:cml'],
  ['cmdhNetworkAccessRules', 1017, 'm2m:cmnr'], ['cmdhNwAccessRule', 1018, 'm2m:cmwr'], ['cmdhBuffer', 1019, 'm2m:cmbf'],
  ['dataCollection', 1021, 'dcfg:datc'], ['myCertFileCred', 1023, 'dcfg:nycfc'],
  ['wifiClient', 1028, 'dcfg:wific'], ['credentials', 1029, 'dcfg:crds'], ['SIM', 1030, 'dcfg:sim'], ['mobileNetwork', 1031, 'dcfg:mnwk'],
];

test('every specialization of reference §3.2 is found by type, mgd and root key', () => {
  assert.equal(MGMT_OBJ_SPECS.length, EXPECTED.length);
  for (const [type, mgd, rootKey] of EXPECTED) {
    const spec = mgmtObjSpecByType(type);
    assert.ok(spec, type);
    assert.equal(spec.mgd, mgd);
    assert.equal(spec.rootKey, rootKey);
    assert.equal(spec.ty, 13);
    assert.equal(mgmtObjSpecByMgd(mgd), spec);
    assert.equal(mgmtObjSpecByRootKey(rootKey), spec);
    assert.equal(resourceSpecByRootKey(rootKey), spec);
    for (const common of ['ty', 'ri', 'rn', 'pi', 'ct', 'lt', 'et', 'lbl', 'mgd', 'obis', 'obps', 'dc', 'cmlk']) assert.ok(spec.byShort.has(common), `${type}.${common}`);
  }
  // not found in TS-0004 nor in ACME's policies (TS-0022 only): left out rather than invented
  for (const mgd of [0, 1020, 1022, 1024, 1025, 1026, 1027]) assert.equal(mgmtObjSpecByMgd(mgd), undefined, `mgd ${mgd}`);
  assert.equal(mgmtObjSpecByRootKey('m2m:nod'), undefined, 'a node is not a mgmtObj');
  assert.equal(resourceSpecByRootKey('m2m:nod'), NODE_SPEC);
  assert.equal(resourceSpecByRootKey('m2m:cb'), CSE_BASE_SPEC);
});

test('executable attributes and conflicting pairs per specialization', () => {
  const executables = Object.fromEntries(MGMT_OBJ_SPECS.filter((s) => s.executables.length > 0).map((s) => [s.type, s.executables]));
  assert.deepEqual(executables, {
    firmware: ['ud'],
    software: ['in', 'un', 'act', 'dea'],
    deviceCapability: ['ena', 'dis'],
    reboot: ['rbo', 'far'],
    eventLog: ['lga', 'lgo'],
    wifiClient: ['scan', 'ud', 'trdst'],
  });
  const conflicts = Object.fromEntries(MGMT_OBJ_SPECS.filter((s) => s.conflicts.length > 0).map((s) => [s.type, s.conflicts]));
  assert.deepEqual(conflicts, { software: [['in', 'un'], ['act', 'dea']], deviceCapability: [['ena', 'dis']], reboot: [['rbo', 'far']] });
  for (const spec of MGMT_OBJ_SPECS) {
    for (const [a, b] of spec.conflicts) assert.ok(spec.executables.includes(a) && spec.executables.includes(b), `${spec.type} ${a}/${b}`);
  }
});

test('optionality and flags follow the reference tables', () => {
  const fwr = mgmtObjSpecByType('firmware')!;
  assert.deepEqual(pick(fwr.byShort.get('vr')!), { create: 'M', update: 'O', readOnly: false, executable: false });
  assert.deepEqual(pick(fwr.byShort.get('uds')!), { create: 'NP', update: 'O', readOnly: false, executable: false });
  assert.deepEqual(pick(fwr.byShort.get('mgd')!), { create: 'M', update: 'NP', readOnly: false, executable: false });
  assert.deepEqual(pick(fwr.byShort.get('ri')!), { create: 'NP', update: 'NP', readOnly: true, executable: false });
  assert.deepEqual(pick(fwr.byShort.get('rn')!), { create: 'O', update: 'NP', readOnly: false, executable: false });
  const dvi = mgmtObjSpecByType('deviceInfo')!;
  assert.equal(dvi.byShort.get('man')!.update, 'NP');
  assert.equal(dvi.byShort.get('man')!.long, 'manufacturer');
  assert.equal(NODE_SPEC.byShort.get('ni')!.create, 'M');
  assert.ok(CSE_BASE_SPEC.attributes.every((a) => a.readOnly), 'the CSEBase is configured, never written');
  assert.deepEqual(mgmtObjSpecByType('battery')!.specializationAttributes.map((a) => a.short), ['btl', 'bts']);
});

test('a specialization that redefines a common mgmtObj attribute replaces it: CMDH links are mandatory on Create', () => {
  for (const type of ['cmdhPolicy', 'cmdhDefaults', 'cmdhNwAccessRule']) {
    const spec = mgmtObjSpecByType(type)!;
    assert.equal(spec.attributes.filter((a) => a.short === 'cmlk').length, 1, type);
    assert.deepEqual(pick(spec.byShort.get('cmlk')!), { create: 'M', update: 'O', readOnly: false, executable: false }, type);
  }
  assert.equal(mgmtObjSpecByType('cmdhNetworkAccessRules')!.byShort.get('cmlk')!.create, 'O');
  const nycfc = mgmtObjSpecByType('myCertFileCred')!;
  assert.deepEqual(nycfc.specializationAttributes.map((a) => [a.short, a.create, a.update]), [['suids', 'M', 'O'], ['mcff', 'M', 'NP'], ['mcfc', 'M', 'NP']]);
  const datc = mgmtObjSpecByType('dataCollection')!;
  assert.deepEqual(datc.byShort.get('rpsc')!.fields!.map((f) => [f.short, f.kind, f.itemKind, f.repeatedElements]), [['sce', 'list', 'string', true]]);
});

test('attributeInfo types every short name the same way in every resource type (the binding types XML with it)', () => {
  for (const spec of [CSE_BASE_SPEC, NODE_SPEC, ...MGMT_OBJ_SPECS]) {
    for (const attribute of spec.attributes) {
      const info = attributeInfo(attribute.short)!;
      assert.equal(info.kind, attribute.kind, `${spec.rootKey}.${attribute.short}`);
      assert.equal(info.itemKind, attribute.itemKind, `${spec.rootKey}.${attribute.short}`);
    }
  }
  assert.deepEqual(pickType(attributeInfo('srt')!), { kind: 'list', itemKind: 'integer' });
  assert.deepEqual(pickType(attributeInfo('rbo')!), { kind: 'boolean', itemKind: undefined });
  assert.deepEqual(attributeInfo('uds')!.fields!.map((f) => [f.short, f.kind]), [['acn', 'anyURI'], ['sus', 'integer']]);
  assert.deepEqual(attributeInfo('cmlk')!.fields!.map((f) => [f.short, f.kind]), [['nm', 'string'], ['typ', 'integer'], ['val', 'anyURI']]);
  assert.equal(attributeInfo('colour'), undefined);
});

function pick(a: { create: string; update: string; readOnly: boolean; executable: boolean }) {
  return { create: a.create, update: a.update, readOnly: a.readOnly, executable: a.executable };
}

function pickType(a: { kind: string; itemKind?: string }) {
  return { kind: a.kind, itemKind: a.itemKind };
}
