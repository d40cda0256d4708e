/**
 * Issue 14 item 8: every row of the create and delete tables of mappings/status/omadm20.yaml, provoked through a DM 2.0
 * session on software mgmtObjs (Create: one HGET of ./SCOMO/Download/<x> from the repository; Delete: one DELETE of
 * that node). 200 is the device's own answer; 419 a ServerURI the device cannot fetch from.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CREATE, type ManagedDm2Device, HARD_CODED, PATIENT, assertRow, createdSoftware, describeRow, forcedThroughSession, managedDm2Device, oneM2M, rowFor, rowsOf,
  serverUriFails, softwareContent,
} from './status-rows-kit.js';

const DEV = 'IMEI:2032';

function withDevice() {
  const cleanups: Array<() => unknown> = [];
  const state: { dm?: ManagedDm2Device } = {};
  before(async () => {
    state.dm = await managedDm2Device({ after: (fn) => cleanups.push(fn) }, DEV);
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  return () => state.dm as ManagedDm2Device;
}

describe('create table: every row through a DM 2.0 session, a software-c<code> mgmtObj per row (one HGET)', () => {
  const dm = withDevice();
  for (const row of rowsOf('create')) {
    it(describeRow('create', row), async (t) => {
      const forcings = row.code === 200 ? [] : row.code === 419 ? [serverUriFails] : [{ cmd: 'HGET', code: row.code }];
      const { answer, sent } = await forcedThroughSession(dm(), forcings, () => oneM2M(dm().proxy, 'POST', dm().node, softwareContent(`c${row.code}`), CREATE));
      t.diagnostic(`${answer.rsc} ${answer.dbg ?? ''}`);
      assertRow('create', row, answer, sent);
      const stored = await oneM2M(dm().proxy, 'GET', `${dm().node}/software-c${row.code}?rcn=8`);
      assert.equal(stored.rsc === 2000, answer.rsc === 2001, `the mgmtObj exists exactly when the Create succeeded (${stored.rsc})`);
      if (row.code === 200) assert.equal(dm().sim.value('./SCOMO/Download/c200/PkgURL'), 'http://sw.example/c200');
      if (row.code === 419) assert.equal(dm().sim.value('./SCOMO/Download/c419/PkgURL'), undefined);
    });
  }
});

describe('delete table: every row through a DM 2.0 session on a created software-d<code> mgmtObj per row (one DELETE)', () => {
  const dm = withDevice();
  for (const row of rowsOf('delete')) {
    it(describeRow('delete', row), async (t) => {
      const target = await createdSoftware(dm(), `d${row.code}`);
      const forcings = row.code === 200 ? [] : [{ cmd: 'DELETE', code: row.code }];
      const { answer, sent } = await forcedThroughSession(dm(), forcings, () => oneM2M(dm().proxy, 'DELETE', target, undefined, PATIENT));
      t.diagnostic(`${answer.rsc} ${answer.dbg ?? ''}`);
      assertRow('delete', row, answer, sent);
      const stored = await oneM2M(dm().proxy, 'GET', `${target}?rcn=8`);
      assert.equal(stored.rsc === 4004, answer.rsc === 2002, `the mgmtObj is gone exactly when the Delete succeeded (${stored.rsc})`);
      // A forced status is all the device does: only its own 200 removes the node.
      assert.equal(dm().sim.value(`./SCOMO/Download/d${row.code}/PkgURL`) === undefined, row.code === 200, 'the device\'s node is gone only after its own 200');
    });
  }
});

describe('the hard-coded DM 2.0 expectations name rows the tables have', () => {
  for (const { operation, code, rsc } of HARD_CODED) {
    it(`${operation} ${code} → ${rsc}`, () => assert.equal(rowFor(operation, code).rsc, rsc));
  }
});
