import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadMappings } from '../../src/mappings/loader.js';
import type { Lwm2mOperation, MappingSet } from '../../src/mappings/types.js';
import type { TestProxy } from '../helpers/proxy-harness.js';
import type { RequestMatch, SimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { attachDevice, oneM2M, startProxy, wrap, type ManagedDevice, type OneM2MAnswer } from './managed-devices.js';

interface StatusFile {
  transport: Array<{ code: string }>;
  operations: Record<string, { rows: Array<{ code: string }> }>;
}

const TABLE_FILE = new URL('../../../mappings/status/lwm2m.yaml', import.meta.url);
/** Operations the mgmtObj adapter performs; the others (discover, write-attributes, observe) serve observation. */
const ADAPTER_OPERATIONS = ['create', 'read', 'write', 'execute', 'delete'] as const;
const NOT_ADAPTER_OPERATIONS = ['discover', 'write-attributes', 'observe'];
/** Keyed by the Update Result that ends followed work (test/lwm2m/progress.test.ts provokes them). */
const RESULT_OPERATIONS = ['firmware-update-result', 'software-update-result'];
const CREATE = { 'Content-Type': 'application/json;ty=13' };
const SUCCESS = { read: '2.05', write: '2.04', execute: '2.04', create: '2.01', delete: '2.02' } as const;
/** A queue-mode device counts as asleep this long after its last message. */
const AWAKE_MS = 300;

function loadTable(): MappingSet {
  const loaded = loadMappings(new URL('../../../mappings', import.meta.url).pathname, 'default');
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return loaded.set;
}

/** The CoAP code a row stands for: itself, or for a class row (`4.xx`) a code of that class the table does not list. */
function codeFor(rowCode: string, listed: ReadonlySet<string>): string {
  if (!rowCode.endsWith('.xx')) return rowCode;
  const candidate = ['03', '02', '07', '08', '09', '12', '13', '14', '31'].map((detail) => `${rowCode[0]}.${detail}`).find((code) => !listed.has(code));
  if (!candidate) throw new Error(`no unlisted code in class ${rowCode}`);
  return candidate;
}

describe('every row of mappings/status/lwm2m.yaml, provoked over CoAP and checked at the oneM2M binding', () => {
  const file = parse(readFileSync(TABLE_FILE, 'utf8')) as StatusFile;
  const table = loadTable();
  const exercised = new Set<string>();
  let proxy: TestProxy;
  let managed: ManagedDevice;
  let device: SimulatedDevice;
  let bound = 0;

  before(async () => {
    proxy = await startProxy({ QUEUE_MODE_AWAKE_MS: String(AWAKE_MS) });
    managed = await attachDevice(proxy, { autoUpdate: false });
    device = managed.device;
  });
  after(async () => {
    device.close();
    await proxy.stop(true);
  });

  /** Makes the device answer `code` to the operation's request (its own answer for the success code) and sends the oneM2M request that causes it. */
  async function provoke(operation: (typeof ADAPTER_OPERATIONS)[number], code: string): Promise<OneM2MAnswer> {
    const { node } = managed;
    // Formats are retried on 4.06 / 4.15, so those codes are forced for every try; a Create answered 4.00 is retried once.
    const times = code === '4.06' || code === '4.15' ? Infinity : operation === 'create' && code === '4.00' ? 2 : 1;
    const force = (match: RequestMatch) => {
      if (code !== SUCCESS[operation]) device.answerWith(match, code, { times });
    };
    switch (operation) {
      case 'read':
        force('/3/0');
        return oneM2M(proxy, 'GET', `${node}/deviceInfo`);
      case 'write':
        force('/5/0/1');
        return oneM2M(proxy, 'PUT', `${node}/firmware`, wrap('firmware', { url: 'sim:fw.bin' }));
      case 'execute':
        force('/15/0/5');
        return oneM2M(proxy, 'PUT', `${node}/deviceCapability-0`, wrap('deviceCapability', { ena: true }));
      case 'create':
        force((request) => request.method === 'POST' && request.path === '/9');
        return oneM2M(proxy, 'POST', node, wrap('software', { mgd: 1002, rn: `software-new-${++bound}`, swn: 'a', vr: '1', url: 'sim:a' }), CREATE);
      case 'delete': {
        // a fresh mgmtObj bound to /15/0 (no CoAP) for every Delete, since a successful one removes it from the tree
        const rn = `capability-${++bound}`;
        const created = await oneM2M(proxy, 'POST', node, wrap('deviceCapability', { mgd: 1008, rn, can: 'x', att: true, cas: { acn: '', sus: 0 }, cus: true, obps: ['/15/0'] }), CREATE);
        assert.equal(created.rsc, 2001);
        force((request) => request.method === 'DELETE' && request.path === '/15/0');
        return oneM2M(proxy, 'DELETE', `${node}/${rn}`);
      }
    }
  }

  it('the table has exactly the operations the adapter performs plus the observation and result ones', () => {
    assert.deepEqual(Object.keys(file.operations).sort(), [...ADAPTER_OPERATIONS, ...NOT_ADAPTER_OPERATIONS, ...RESULT_OPERATIONS].sort());
  });

  for (const operation of ADAPTER_OPERATIONS) {
    it(`${operation}: every CoAP code row gives its RSC with the label and code in m2m:dbg`, async () => {
      const rows = file.operations[operation].rows;
      const listed = new Set(rows.map((row) => row.code));
      for (const row of rows) {
        const code = codeFor(row.code, listed);
        const expected = table.status('lwm2m', operation as Lwm2mOperation, code);
        const answer = await provoke(operation, code);
        device.clearFaults();
        assert.equal(answer.rsc, expected.rsc, `${operation} ${row.code} (sent ${code}): ${answer.dbg ?? ''}`);
        if (expected.label !== 'success') {
          assert.ok(answer.dbg?.includes(expected.label), `dbg names the label "${expected.label}": ${answer.dbg}`);
          assert.ok(answer.dbg?.includes(code), `dbg names the code ${code}: ${answer.dbg}`);
        }
        exercised.add(`${operation} ${row.code}`);
      }
    });
  }

  it('timeout: a device that never answers', async () => {
    device.quirks.silent = true;
    try {
      const answer = await oneM2M(proxy, 'GET', `${managed.node}/battery`);
      assert.equal(answer.rsc, table.status('lwm2m', 'read', 'timeout').rsc);
      assert.match(answer.dbg ?? '', /timeout/);
    } finally {
      device.quirks.silent = false;
    }
    exercised.add('transport timeout');
  });

  it('decode-error: a 2.05 payload that does not decode, and the proxy keeps serving', async () => {
    device.quirks.garbagePayload = true;
    try {
      const answer = await oneM2M(proxy, 'GET', `${managed.node}/memory`);
      assert.equal(answer.rsc, table.status('lwm2m', 'read', 'decode-error').rsc);
      assert.match(answer.dbg ?? '', /decode-error/);
    } finally {
      device.quirks.garbagePayload = false;
    }
    assert.equal((await oneM2M(proxy, 'GET', `${managed.node}/memory`)).rsc, 2000);
    exercised.add('transport decode-error');
  });

  it('decode-error: the only value asked for decodes but is no valid attribute value (battery status 9)', async () => {
    device.setValue('/3/0/20', 9);
    try {
      const answer = await oneM2M(proxy, 'GET', `${managed.node}/battery?atrl=bts`);
      assert.equal(answer.rsc, table.status('lwm2m', 'read', 'decode-error').rsc);
      assert.match(answer.dbg ?? '', /bts/);
    } finally {
      device.setValue('/3/0/20', 0);
    }
  });

  it('not-registered: a request to a de-registered endpoint', async () => {
    const other = await attachDevice(proxy, { autoUpdate: false });
    try {
      await other.device.deregister();
      const answer = await oneM2M(proxy, 'GET', `${other.node}/deviceInfo`);
      assert.equal(answer.rsc, table.status('lwm2m', 'read', 'not-registered').rsc);
      assert.equal(other.device.requests.length, 0);
    } finally {
      other.device.close();
    }
    exercised.add('transport not-registered');
  });

  it('sleeping: a queue-mode device asleep until the request expired; the request is dropped, never sent', async () => {
    const sleeper = await attachDevice(proxy, { autoUpdate: false, queueMode: true });
    try {
      sleeper.device.sleep();
      await new Promise((resolve) => setTimeout(resolve, AWAKE_MS + 50));
      const answer = await oneM2M(proxy, 'GET', `${sleeper.node}/deviceInfo`, undefined, { 'X-M2M-RET': '300' });
      assert.equal(answer.rsc, table.status('lwm2m', 'read', 'sleeping').rsc);
      assert.match(answer.dbg ?? '', /sleeping/);
      await sleeper.device.wake();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(sleeper.device.requests, [], 'the expired request never reached the device');
    } finally {
      sleeper.device.close();
    }
    exercised.add('transport sleeping');
  });

  it('covers every row of the table for the adapter operations and every transport row', () => {
    const expected = [
      ...ADAPTER_OPERATIONS.flatMap((operation) => file.operations[operation].rows.map((row) => `${operation} ${row.code}`)),
      ...file.transport.map((row) => `transport ${row.code}`),
    ];
    assert.deepEqual(expected.filter((row) => !exercised.has(row)), []);
  });
});
