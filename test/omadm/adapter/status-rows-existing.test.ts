/**
 * Issue 12 item 9: every row of the retrieve, update and execute tables of mappings/status/omadm13.yaml, provoked
 * through a DM 1.3 session on the mgmtObjs the device's first session made (memory, firmware).
 */
import { after, before, describe, it } from 'node:test';
import type { OneM2MOperation } from '../../../src/core/device-adapter.js';
import { CONSEQUENTIAL, type Dm, PATIENT, assertRow, describeRow, forcedThroughSession, managedDmDevice, oneM2M, rowsOf, wrap } from './status-rows-kit.js';

const DEV = 'IMEI:3001';

/** One proxy and device per table and encoding (SyncML XML, then WBXML), closed when the table is done. */
function tableSuite(operation: OneM2MOperation, provoke: (dm: Dm, code: number) => ReturnType<typeof forcedThroughSession>, note = '') {
  for (const encoding of ['xml', 'wbxml'] as const) tableSuiteIn(encoding, operation, provoke, note);
}

function tableSuiteIn(encoding: 'xml' | 'wbxml', operation: OneM2MOperation, provoke: (dm: Dm, code: number) => ReturnType<typeof forcedThroughSession>, note: string) {
  describe(`${operation} table: every row through a DM 1.3 session in ${encoding === 'xml' ? 'SyncML XML' : 'WBXML'}${note}`, () => {
    const cleanups: Array<() => unknown> = [];
    let dm: Dm;
    before(async () => {
      dm = await managedDmDevice({ after: (fn) => cleanups.push(fn) }, DEV, { encoding });
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

tableSuite('retrieve', (dm, code) => forcedThroughSession(dm, DEV, [{ cmd: 'Get', code }], () => oneM2M(dm.proxy, 'GET', `${dm.node}/memory`, undefined, PATIENT)));

// firmware has one writable leaf (url): an Update is a lone Replace. The Atomic statuses (215/216/516) are given to the
// Replace inside the Sequence of url + ud, its Exec answered 215 as not executed: the Replace's row answers.
tableSuite(
  'update',
  (dm, code) => {
    const inGroup = CONSEQUENTIAL.has(code);
    const forced = inGroup ? [{ cmd: 'Replace', code }, { cmd: 'Exec', code: 215 }] : [{ cmd: 'Replace', code }];
    const changes = inGroup ? { url: 'http://fw.example/2.0.0', ud: true } : { url: 'http://fw.example/2.0.0' };
    return forcedThroughSession(dm, DEV, forced, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', changes), PATIENT));
  },
  ' (215/216/516 on the Replace of a Replace + Exec Sequence)',
);

tableSuite(
  'execute',
  (dm, code) => forcedThroughSession(dm, DEV, [{ cmd: 'Exec', code }], () => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { ud: true }), PATIENT)),
  ' (202: accepted, the result would come by Generic Alert)',
);
