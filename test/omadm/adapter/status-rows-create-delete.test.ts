/**
 * Issue 12 item 9: every row of the create and delete tables of mappings/status/omadm13.yaml, provoked through a DM 1.3
 * session on software mgmtObjs (Create: Add of ./SCOMO/Download/<x> then of its PkgURL, as an Atomic; Delete: Delete
 * of ./SCOMO/Download/<x>) and on firmware; then a sample of rows with a DM 1.2 device.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OneM2MOperation } from '../../../src/core/device-adapter.js';
import {
  CREATE_HEADERS, type Dm, HARD_CODED, PATIENT, assertRow, createdSoftware, describeRow, forcedThroughSession, managedDmDevice, oneM2M, rowFor, rowsOf,
  softwareContent, wrap,
} from './status-rows-kit.js';

const DEV = 'IMEI:3002';

function withDevice(version: '1.2' | '1.3', encoding: 'xml' | 'wbxml' = 'xml') {
  const cleanups: Array<() => unknown> = [];
  const state: { dm?: Dm } = {};
  before(async () => {
    state.dm = await managedDmDevice({ after: (fn) => cleanups.push(fn) }, DEV, { version, encoding });
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  return () => state.dm as Dm;
}

/** A Create of `software-c<code>`: every Add of its Atomic answered `code` (an Atomic fails as a whole). */
function provokeCreate(dm: Dm, code: number) {
  return forcedThroughSession(dm, DEV, [{ cmd: 'Add', code }], () => oneM2M(dm.proxy, 'POST', dm.node, softwareContent(`c${code}`), CREATE_HEADERS));
}

function provokeDelete(dm: Dm, path: string, code: number) {
  return forcedThroughSession(dm, DEV, [{ cmd: 'Delete', code }], () => oneM2M(dm.proxy, 'DELETE', path, undefined, PATIENT));
}

for (const encoding of ['xml', 'wbxml'] as const) {
  describe(`create table: every row through a DM 1.3 session in ${encoding}, a software-<x> mgmtObj per row (Add interior + Add PkgURL, Atomic)`, () => {
    const dm = withDevice('1.3', encoding);
    for (const row of rowsOf('create')) {
      const name = row.code === 213 ? `${describeRow('create', row)} (213 chunk buffered: the proxy creates nothing and says so)` : describeRow('create', row);
      it(name, async (t) => {
        const { answer, sent } = await provokeCreate(dm(), row.code);
        t.diagnostic(`${answer.rsc} ${answer.dbg ?? ''}`);
        assertRow('create', row, answer, sent);
        const stored = await oneM2M(dm().proxy, 'GET', `${dm().node}/software-c${row.code}?rcn=8`);
        assert.equal(stored.rsc === 2000, answer.rsc === 2001, `the mgmtObj exists exactly when the Create succeeded (${stored.rsc})`);
      });
    }
  });
}

for (const encoding of ['xml', 'wbxml'] as const) {
  describe(`delete table: every row through a DM 1.3 session in ${encoding} on created software-<x> mgmtObjs (one Delete of ./SCOMO/Download/<x>), and on firmware`, () => {
    const dm = withDevice('1.3', encoding);
    for (const row of rowsOf('delete')) {
      // A fresh mgmtObj per row: each row's Delete acts on its own.
      // A Delete of one software mgmtObj is a lone Delete command: the Atomic statuses are forced on it.
      it(describeRow('delete', row), async (t) => {
        const target = await createdSoftware(dm(), DEV, `d${row.code}`);
        const { answer, sent } = await provokeDelete(dm(), target, row.code);
        t.diagnostic(`${answer.rsc} ${answer.dbg ?? ''}`);
        assertRow('delete', row, answer, sent);
        if (row.code === 200) assert.equal((await oneM2M(dm().proxy, 'GET', `${target}?rcn=8`)).rsc, 4004, 'the mgmtObj is gone');
      });
    }
    for (const code of [404, 405, 425, 516, 200]) {
      const row = rowFor('delete', code);
      it(`firmware: ${describeRow('delete', row)}`, async (t) => {
        const { answer, sent } = await provokeDelete(dm(), `${dm().node}/firmware`, code);
        t.diagnostic(`${answer.rsc} ${answer.dbg ?? ''}`);
        assertRow('delete', row, answer, sent);
      });
    }
  });
}

describe('software mgmtObjs and the device\'s sessions', () => {
  const dm = withDevice('1.3');
  it('a software mgmtObj created through the proxy survives the device\'s next session', async () => {
    const created = await createdSoftware(dm(), DEV, 'kept');
    assert.equal((await dm().sim.openSession()).result, 'completed');
    assert.equal((await oneM2M(dm().proxy, 'GET', `${created}?rcn=8`)).rsc, 2000, 'software-kept is still there');
  });
});

describe('DM 1.2: a sample of rows of every table, the device speaking DM/1.2', () => {
  const dm = withDevice('1.2');
  const sample: Array<{ operation: OneM2MOperation; code: number; provoke: (dm: Dm, code: number) => ReturnType<typeof forcedThroughSession> }> = [
    { operation: 'retrieve', code: 404, provoke: (d, code) => forcedThroughSession(d, DEV, [{ cmd: 'Get', code }], () => oneM2M(d.proxy, 'GET', `${d.node}/memory`, undefined, PATIENT)) },
    { operation: 'retrieve', code: 200, provoke: (d, code) => forcedThroughSession(d, DEV, [{ cmd: 'Get', code }], () => oneM2M(d.proxy, 'GET', `${d.node}/memory`, undefined, PATIENT)) },
    { operation: 'update', code: 425, provoke: (d, code) => forcedThroughSession(d, DEV, [{ cmd: 'Replace', code }], () => oneM2M(d.proxy, 'PUT', `${d.node}/firmware`, wrap('firmware', { url: 'http://fw.example/2' }), PATIENT)) },
    { operation: 'execute', code: 202, provoke: (d, code) => forcedThroughSession(d, DEV, [{ cmd: 'Exec', code }], () => oneM2M(d.proxy, 'PUT', `${d.node}/firmware`, wrap('firmware', { ud: true }), PATIENT)) },
    { operation: 'create', code: 418, provoke: provokeCreate },
    { operation: 'delete', code: 405, provoke: (d, code) => provokeDelete(d, `${d.node}/firmware`, code) },
  ];
  for (const { operation, code, provoke } of sample) {
    const row = rowFor(operation, code);
    it(`DM 1.2 ${describeRow(operation, row)}`, async (t) => {
      const { answer, sent } = await provoke(dm(), code);
      t.diagnostic(`${answer.rsc} ${answer.dbg ?? ''}`);
      assertRow(operation, row, answer, sent);
    });
  }
  it('the device is a DM 1.2 one (VerProto DM/1.2, DevInfo/DmV 1.2)', () => {
    assert.equal(dm().sim.options.version, '1.2');
    assert.equal(dm().sim.value('./DevInfo/DmV'), '1.2');
  });
});

describe('the hard-coded expectations name rows the tables have', () => {
  for (const { operation, code, rsc } of HARD_CODED) {
    it(`${operation} ${code} → ${rsc}`, () => assert.equal(rowFor(operation, code).rsc, rsc));
  }
});
