/**
 * Issue 14 item 8: every row of the retrieve, update and execute tables of mappings/status/omadm20.yaml, provoked
 * through a DM 2.0 session on the mgmtObjs the device's first session made (deviceInfo, firmware). Success rows the
 * device gives by itself are provoked the real way: 200 by a plain read or write, 304 by a read repeated with the
 * cache validator of the first, 202 by an EXEC with a report URI (the Generic Alert follows), 419 by a failing ServerURI.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OneM2MOperation } from '../../../src/core/device-adapter.js';
import { alertDelivered } from './dm2-adapter-kit.js';
import {
  type Forcing, type ManagedDm2Device, PATIENT, assertRow, describeRow, forcedThroughSession, managedDm2Device, oneM2M, rowsOf, serverUriFails, wrap,
} from './status-rows-kit.js';

const DEV = 'IMEI:2031';

type Provoke = (dm: ManagedDm2Device, code: number) => ReturnType<typeof forcedThroughSession>;

/** One proxy and device per table, closed when the table is done. */
function tableSuite(operation: OneM2MOperation, provoke: Provoke, note: string) {
  describe(`${operation} table: every row through a DM 2.0 session${note}`, () => {
    const cleanups: Array<() => unknown> = [];
    let dm: ManagedDm2Device;
    before(async () => {
      dm = await managedDm2Device({ after: (fn) => cleanups.push(fn) }, DEV);
    });
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    for (const row of rowsOf(operation)) {
      it(describeRow(operation, row), async (t) => {
        const { answer, sent } = await provoke(dm, row.code);
        t.diagnostic(`${answer.rsc} ${answer.dbg ?? ''}`);
        assertRow(operation, row, answer, sent);
      });
    }
  });
}

/** The command's own status, except the codes the device gives by itself (`natural`), which are not forced. */
function forcing(cmd: string, code: number, natural: Record<number, Forcing[]>): Forcing[] {
  return natural[code] ?? [{ cmd, code }];
}

tableSuite(
  'retrieve',
  async (dm, code) => {
    const read = () => oneM2M(dm.proxy, 'GET', `${dm.node}/deviceInfo`, undefined, PATIENT);
    if (code === 304) {
      const first = await forcedThroughSession(dm, [], read);
      assert.equal(first.answer.rsc, 2000, first.answer.dbg);
      const again = await forcedThroughSession(dm, [], read);
      assert.deepEqual(again.answer.body.man, first.answer.body.man, 'the cached values stand');
      return again;
    }
    // A device answering GET 405/406/501 is read again with HPUT: it fails the same way, so the row is its code.
    const retried: Forcing[] = [405, 406, 501].includes(code) ? [{ cmd: 'HPUT', code }] : [];
    const provoked = await forcedThroughSession(dm, [...forcing('GET', code, { 200: [] }), ...retried], read);
    if (code === 200) assert.equal(typeof provoked.answer.body.man, 'string', 'the device\'s values');
    return provoked;
  },
  ' on deviceInfo (one GET of its subtree; 304: the read repeated with the first one\'s cv)',
);

tableSuite(
  'update',
  (dm, code) => forcedThroughSession(dm, forcing('HGET', code, { 200: [], 419: [serverUriFails] }), () =>
    oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { url: `http://fw.example/${code}` }), PATIENT)),
  ' on firmware url (one HGET from the repository; 419: the device cannot fetch it)',
);

tableSuite(
  'execute',
  async (dm, code) => {
    const from = dm.sim.events.length;
    const provoked = await forcedThroughSession(dm, forcing('EXEC', code, { 202: [] }), () =>
      oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { ud: true }), PATIENT));
    // The accepted EXEC reports by a Generic Alert in a session of its own: let it end before the next row.
    if (code === 202) await alertDelivered(dm.sim, from);
    return provoked;
  },
  ' on firmware ud (one EXEC with a report URI; 202: the device runs it and reports by Generic Alert)',
);
