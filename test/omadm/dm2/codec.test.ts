import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DM2_LIMITS, Dm2DecodeError, decodeInitiation, decodeResponse, dm2CommandProblems, dm2PackageType, encodeRequest,
} from '../../../src/omadm/v20/codec/index.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

test('package 1: MOS, the first session alert (notification id from Data), every other alert a Generic Alert; bare alert strings read as types', () => {
  const decoded = decodeInitiation('DEV1', json({
    MOS: [{ DDF: 'http://d', MOID: 'urn:oma:mo:oma-dm-devinfo:1.0', MIID: [''] }, { MOID: 'urn:oma:mo:oma-fumo:1.0' }],
    Alert: [
      { AlertType: 'urn:oma:at:dm:2.0:ServerInitiatedMgmt', Data: 4660 },
      'urn:oma:at:dm:2.0:BootstrapComplete',
      { AlertType: 'urn:oma:at:scomo:1.0:OperationComplete', SourceURI: 'urn:oma:mo:oma-scomo:1.0/1', TargetURI: 't', Mark: 'critical', DataType: 'int', Data: 1200, Extra: true },
    ],
  }), DEFAULT_DM2_LIMITS);
  assert.deepEqual(decoded, {
    devId: 'DEV1',
    mos: [{ ddf: 'http://d', moid: 'urn:oma:mo:oma-dm-devinfo:1.0', miids: [''] }, { moid: 'urn:oma:mo:oma-fumo:1.0', miids: [] }],
    sessionAlert: { kind: 'serverInitiated', notificationId: 4660 },
    genericAlerts: [{ alertType: 'urn:oma:at:scomo:1.0:OperationComplete', sourceUri: 'urn:oma:mo:oma-scomo:1.0/1', targetUri: 't', mark: 'critical', dataType: 'int', data: 1200 }],
  });
  assert.deepEqual(decodeInitiation('DEV1', json({}), DEFAULT_DM2_LIMITS), { devId: 'DEV1', mos: [], genericAlerts: [] }, 'an empty package 1 is client-initiated by default');
});

test('package 3: sc, URI as a list or one string, Data as JSON MO data or anything else; a BOM is skipped', () => {
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({
    Status: [
      { sc: 200, URI: 'urn:x/1/a', Data: [{ DDF: 'd', ClientURI: 'urn:x/1/a', CV: 'e1', MOData: { b: 1 } }] },
      { sc: 304 },
      { sc: 200, Data: '<MgmtTree/>' },
      { sc: 200, Data: [1, 2] },
    ],
  })]);
  assert.deepEqual(decodeResponse(body, DEFAULT_DM2_LIMITS), {
    statuses: [
      { sc: 200, uris: ['urn:x/1/a'], moData: [{ ddf: 'd', clientUri: 'urn:x/1/a', cv: 'e1', moData: { b: 1 } }] },
      { sc: 304 },
      { sc: 200, data: '<MgmtTree/>' },
      { sc: 200, data: [1, 2] },
    ],
    genericAlerts: [],
  });
  assert.throws(() => decodeResponse(json({ Status: [{ sc: 200.5 }] }), DEFAULT_DM2_LIMITS), (error: Dm2DecodeError) => error.httpStatus === 400 && /sc must be an integer/.test(error.message));
  assert.throws(() => decodeResponse(json({ Status: [], pad: 'x'.repeat(100) }), { ...DEFAULT_DM2_LIMITS, maxBytes: 50 }), (error: Dm2DecodeError) => error.httpStatus === 413);
  assert.throws(() => decodeResponse(json({ Status: [{ sc: 200, URI: ['u'.repeat(5000)] }] }), DEFAULT_DM2_LIMITS), /longer than 4096/);
});

test('media types, package 2 and command checks', () => {
  assert.equal(dm2PackageType('application/vnd.oma.dm.initiation+json'), 'initiation');
  assert.equal(dm2PackageType('Application/VND.OMA.DM.Response+JSON; charset="UTF-8"'), 'response');
  assert.equal(dm2PackageType('application/vnd.oma.dm.request+json'), undefined, 'package 2 is the proxy\'s');
  assert.equal(dm2PackageType(undefined), undefined);
  assert.equal(encodeRequest([['HGET', 'http://p/dm2/repo/x', 'urn:a/1/b'], ['END']]), '{"CMD":[["HGET","http://p/dm2/repo/x","urn:a/1/b"],["END"]]}');
  assert.deepEqual(dm2CommandProblems(['HPUT', 'http://s', 'urn:a', 'urn:b']), []);
  assert.deepEqual(dm2CommandProblems(['END']), []);
  assert.match(dm2CommandProblems(['ADD', 'x']).join(), /ADD is not a DM 2.0 command/);
  assert.match(dm2CommandProblems(['GET']).join(), /GET takes 1 arguments, not 0/);
  assert.match(dm2CommandProblems(['SUB', 'a', '']).join(), /argument 2 must be a non-empty string/);
  assert.match(dm2CommandProblems(['HPOST', 'a']).join(), /HPOST takes 2 to any number of arguments/);
});
