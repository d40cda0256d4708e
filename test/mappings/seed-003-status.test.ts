import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadMappings } from '../../src/mappings/loader.js';
import type { LoadedMappingSet } from '../../src/mappings/mapping-set.js';
import { httpStatusForRsc, rscName } from '../../src/core/rsc.js';
import { jsonLines, runCli } from './cli-runner.js';
import { expectedRsc, NOT_FINAL } from './expected-vocabulary.js';

const SHIPPED = fileURLToPath(new URL('../../../mappings', import.meta.url));

/**
 * Every row of the ten tables of TS-0005 §5.4.1 (seed 003_269dc0ba603acbb8.txt), transcribed
 * with the seed's own label spelling: [code, label as printed in the seed].
 */
const SEED_003: Record<'omadm13' | 'omadm20', Record<string, Array<[string, string]>>> = {
  omadm13: {
    // Table 5.4.1.1.1-1
    create: [
      ['200', 'success'], ['213', 'n/a'], ['215', 'error -not executed'], ['216', 'error - not executed'],
      ['401', 'error - no privilege '], ['404', 'error - not found'], ['405', 'error - not allowed'],
      ['407', 'error - authentication failed'], ['413', 'error - mgmt adapter error'], ['414', 'error - mgmt adapter error'],
      ['415', 'error - Unsupported data type'], ['418', 'error - already exists '], ['420', 'error - no storage at device'],
      ['424', 'error - mgmt adapter error'], ['425', 'error - no privilege'], ['500', 'error - mgmt adapter error'],
      ['516', 'error - not executed'],
    ],
    // Table 5.4.1.2.1-1
    retrieve: [
      ['200', 'success'], ['215', 'error - not executed'], ['217', 'success'], ['401', 'error - mgmt adapter error'],
      ['404', 'error - not found'], ['405', 'error - not allowed'], ['406', 'error - unsupported resource'],
      ['407', 'error - mgmt adapter error'], ['413', 'error - mgmt adapter error'], ['414', 'error - mgmt adapter error'],
      ['415', 'error - unsupported data type'], ['425', 'error - no privilege'], ['500', 'error - not executed'],
    ],
    // Table 5.4.1.3.1.1-1
    update: [
      ['200', 'success'], ['213', 'n/a'], ['215', 'error - not executed'], ['216', 'error - not executed'],
      ['401', 'error - no privilege'], ['403', 'error - forbidden'], ['404', 'error - not found'], ['405', 'error - not allowed'],
      ['407', 'error - mgmt adapter error'], ['413', 'error - mgmt adapter error'], ['414', 'error - mgmt adapter error'],
      ['415', 'error - unsupported data type'], ['418', 'error - already exist'], ['420', 'error - no storage'],
      ['424', 'error - mgmt adapter error'], ['425', 'error - no privilege'], ['500', 'error - not executed'],
      ['516', 'error - not executed'],
    ],
    // Table 5.4.1.3.2.1-1
    execute: [
      ['200', 'success'], ['202', 'accepted'], ['215', 'error - not executed'], ['401', 'error - no privilege'],
      ['403', 'error - mgmt adapter error'], ['405', 'error - not allowed'], ['406', 'error - mgmt adapter error'],
      ['407', 'error - mgmt adapter error'], ['414', 'error - mgmt adapter error'], ['420', 'error - no storage'],
      ['425', 'error - no privilege'], ['500', 'error - not executed'], ['510', 'error - mgmt adapter error'],
    ],
    // Table 5.4.1.4.1-1
    delete: [
      ['200', 'success'], ['215', 'error - not executed'], ['216', 'error - not executed'], ['401', 'error - mgmt adapter error'],
      ['403', 'error - forbidden'], ['404', 'error - not found'], ['405', 'error - not allowed'], ['407', 'error - mgmt adapter error'],
      ['414', 'error - mgmt adapter error'], ['425', 'error - no privilege'], ['500', 'error - not executed'],
      ['516', 'error - not executed'],
    ],
  },
  omadm20: {
    // Table 5.4.1.1.1-2
    create: [
      ['200', 'ok'], ['400', 'error - bad request'], ['403', 'error - no privilege'], ['404', 'error - not found'],
      ['415', 'error - Unsupported data type'], ['419', 'error - mgmt adapter error'], ['500', 'error - internal error'],
      ['501', 'error - unsupported resource'], ['503', 'error - service unavailable'], ['506', 'error - no storage'],
      ['507', 'error - user rejected'],
    ],
    // Table 5.4.1.2.1-2
    retrieve: [
      ['200', 'success'], ['204', 'success'], ['304', 'success'], ['400', 'error - bad request'], ['403', 'error - no privilege'],
      ['404', 'error - not found'], ['406', 'error - mgmt adapter error'], ['500', 'error - mgmt adapter error'],
      ['501', 'error - mgmt adapter error'], ['503', 'error - service unavailable'], ['507', 'error - user rejected'],
    ],
    // Table 5.4.1.3.1.1-2
    update: [
      ['200', 'success'], ['400', 'error - bad request'], ['403', 'error - no privilege '], ['404', 'error - not found'],
      ['415', 'error - unsupported data type'], ['419', 'error - mgmt adapter error'], ['500', 'error - internal error'],
      ['501', 'error - unsupported resurce'], ['503', 'error - service unavailable'], ['506', 'error - no storage'],
      ['507', 'error - user rejected'],
    ],
    // Table 5.4.1.3.2.1-2
    execute: [
      ['200', 'success'], ['202', 'accepted'], ['400', 'error - bad request'], ['403', 'error - no privilege'],
      ['404', 'error - not found'], ['405', 'error - not allowed'], ['419', 'error - mgmt adapter error'],
      ['500', 'error - internal error'], ['501', 'error - not implemented'], ['503', 'error - service unavailable'],
      ['507', 'error - user rejected'],
    ],
    // Table 5.4.1.4.1-2
    delete: [
      ['200', 'success'], ['400', 'error - bad request'], ['403', 'error - no privilege'], ['404', 'error - not found'],
      ['405', 'error - not allowed'], ['500', 'error - internal error'], ['501', 'error - not implemented'],
      ['503', 'error - service unavailable'], ['507', 'error - user rejected'],
    ],
  },
};

/** DESIGN.md's normalisation of the seed's labels. */
function normalise(seedLabel: string): string {
  const label = seedLabel.trim().toLowerCase().replace(/^error -(?=\S)/, 'error - ');
  const renamed: Record<string, string> = {
    ok: 'success',
    'error - already exist': 'error - already exists',
    'error - unsupported resurce': 'error - unsupported resource',
    'error - no storage at device': 'error - no storage',
  };
  return renamed[label] ?? label;
}

function expectation(label: string, operation: string) {
  const rsc = expectedRsc(label, operation);
  return { label, final: !NOT_FINAL.has(label), rsc, rscName: rsc === undefined ? undefined : rscName(rsc), http: rsc === undefined ? undefined : httpStatusForRsc(rsc) };
}

function loadShipped(): LoadedMappingSet {
  const result = loadMappings(SHIPPED, 'default');
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  return result.set;
}

test('the seed transcription covers the ten tables of TS-0005 §5.4.1 (73 + 53 rows)', () => {
  const count = (protocol: 'omadm13' | 'omadm20') => Object.values(SEED_003[protocol]).reduce((n, rows) => n + rows.length, 0);
  assert.equal(count('omadm13'), 73);
  assert.equal(count('omadm20'), 53);
});

for (const protocol of ['omadm13', 'omadm20'] as const) {
  test(`${protocol}: MappingSet.status() answers every seed row with its label, RSC, HTTP status and finality`, () => {
    const set = loadShipped();
    for (const [operation, rows] of Object.entries(SEED_003[protocol])) {
      for (const [code, seedLabel] of rows) {
        const want = expectation(normalise(seedLabel), operation);
        const got = set.status(protocol, operation as 'create', code);
        const where = `${protocol} ${operation} ${code}`;
        assert.equal(got.label, want.label, where);
        assert.equal(got.final, want.final, where);
        assert.equal(got.matched, 'exact', where);
        assert.ok(got.description && got.description.length > 10, `${where}: carries the seed's description`);
        if (want.rsc !== undefined) {
          assert.equal(got.rsc, want.rsc, where);
          assert.equal(got.rscName, want.rscName, where);
          assert.equal(got.http, want.http, where);
        }
      }
    }
  });

  test(`${protocol}: the tables hold exactly the seed's rows (nothing added, nothing missing) plus class rows`, () => {
    const set = loadShipped();
    for (const [operation, rows] of Object.entries(SEED_003[protocol])) {
      const view = set.statusViews.find((v) => v.protocol === protocol && v.operation === operation);
      assert.ok(view, `${protocol} ${operation} table exists`);
      const deviceCodes = view.rows.map((r) => r.code).filter((code) => /^\d{3}$/.test(code));
      assert.deepEqual(deviceCodes, rows.map(([code]) => code), `${protocol} ${operation}`);
      const classRows = view.rows.filter((r) => r.code.endsWith('xx')).map((r) => r.code);
      for (const required of ['2xx', '4xx', '5xx']) assert.ok(classRows.includes(required), `${protocol} ${operation} has ${required}`);
    }
  });

  test(`${protocol}: the CLI explains every seed row the same way`, async () => {
    for (const [operation, rows] of Object.entries(SEED_003[protocol])) {
      const args = ['mappings', 'explain', '--dir', SHIPPED, '--protocol', protocol, '--operation', operation];
      const result = await runCli([...args, ...rows.flatMap(([code]) => ['--code', code])]);
      assert.equal(result.status, 0, result.stderr);
      const answers = jsonLines(result.stdout);
      assert.equal(answers.length, rows.length);
      rows.forEach(([code, seedLabel], i) => {
        const want = expectation(normalise(seedLabel), operation);
        const answer = answers[i] as Record<string, unknown>;
        assert.deepEqual(Object.keys(answer), ['label', 'rsc', 'rscName', 'http', 'final']);
        assert.equal(answer.label, want.label, `${protocol} ${operation} ${code}`);
        assert.equal(answer.final, want.final, `${protocol} ${operation} ${code}`);
        if (want.rsc !== undefined) assert.deepEqual(answer, want, `${protocol} ${operation} ${code}`);
      });
    }
  });
}

test('per-operation differences stay as the seed has them', () => {
  const set = loadShipped();
  assert.equal(set.status('omadm13', 'create', '401').label, 'error - no privilege');
  assert.equal(set.status('omadm13', 'retrieve', '401').label, 'error - mgmt adapter error');
  assert.equal(set.status('omadm13', 'create', '500').label, 'error - mgmt adapter error');
  assert.equal(set.status('omadm13', 'retrieve', '500').label, 'error - not executed');
  assert.equal(set.status('omadm20', 'update', '501').label, 'error - unsupported resource');
  assert.equal(set.status('omadm20', 'execute', '501').label, 'error - not implemented');
});

test('OMA DM 2.0 304 on retrieve is success with the cached data; 213 and 202 are not final', () => {
  const set = loadShipped();
  const cached = set.status('omadm20', 'retrieve', '304');
  assert.equal(cached.rsc, 2000);
  assert.equal(cached.useCachedData, true);
  assert.equal(set.status('omadm20', 'retrieve', '200').useCachedData, undefined);
  for (const operation of ['create', 'update'] as const) {
    const chunk = set.status('omadm13', operation, '213');
    assert.equal(chunk.label, 'n/a');
    assert.equal(chunk.final, false);
  }
  for (const protocol of ['omadm13', 'omadm20'] as const) {
    assert.deepEqual(
      { label: set.status(protocol, 'execute', '202').label, rsc: set.status(protocol, 'execute', '202').rsc, final: set.status(protocol, 'execute', '202').final },
      { label: 'accepted', rsc: 1000, final: false },
    );
  }
});

test('codes the seed does not list fall to the per-class default rows', () => {
  const set = loadShipped();
  const cases: Array<[('omadm13' | 'omadm20'), string, string, string]> = [
    ['omadm13', 'create', '201', 'success'],
    ['omadm13', 'update', '101', 'n/a'],
    ['omadm13', 'delete', '301', 'error - mgmt adapter error'],
    ['omadm13', 'retrieve', '412', 'error - mgmt adapter error'],
    ['omadm13', 'retrieve', '503', 'error - not executed'],
    ['omadm13', 'create', '506', 'error - mgmt adapter error'],
    ['omadm20', 'create', '502', 'error - internal error'],
    ['omadm20', 'retrieve', '502', 'error - mgmt adapter error'],
    ['omadm20', 'retrieve', '302', 'error - mgmt adapter error'],
    ['omadm20', 'delete', '410', 'error - mgmt adapter error'],
  ];
  for (const [protocol, operation, code, label] of cases) {
    const got = set.status(protocol, operation as 'create', code);
    assert.equal(got.label, label, `${protocol} ${operation} ${code}`);
    assert.equal(got.matched, 'default', `${protocol} ${operation} ${code}`);
  }
});

test('garbage codes never throw: they get the 5xx row', () => {
  const set = loadShipped();
  for (const code of ['', 'abc', '99', '9999', '2.05', '-1', '200 ', '\u0000']) {
    const got = set.status('omadm13', 'retrieve', code);
    assert.equal(got.label, 'error - not executed', JSON.stringify(code));
    assert.equal(got.matched, 'default');
  }
  assert.equal(set.status('omadm13', 'retrieve', '10x').label, 'error - not executed');
  assert.throws(() => set.status('omadm13', 'discover', '200'), /no omadm13 status table for operation "discover"/);
});

test('DM transport outcomes map to the not-reachable codes', () => {
  const set = loadShipped();
  for (const protocol of ['omadm13', 'omadm20'] as const) {
    assert.equal(set.status(protocol, 'update', 'timeout').rsc, 6030);
    assert.equal(set.status(protocol, 'create', 'not-registered').rsc, 6003);
    assert.equal(set.status(protocol, 'delete', 'decode-error').rsc, 6025);
  }
});

test('DM proxy outcomes (decided without asking the device) answer for every operation, in the table and through the CLI', async () => {
  const set = loadShipped();
  const rows: Array<[string, string]> = [
    ['unmapped', 'error - not found'], ['no-instance', 'error - not found'], ['invalid-value', 'error - bad request'],
    ['nothing-to-send', 'success'], ['expired', 'error - not reachable before expiry'],
  ];
  for (const protocol of ['omadm13', 'omadm20'] as const) {
    for (const operation of Object.keys(SEED_003[protocol])) {
      for (const [code, label] of rows) {
        const got = set.status(protocol, operation as 'create', code);
        const want = expectation(label, operation);
        assert.deepEqual({ label: got.label, rsc: got.rsc, final: got.final, matched: got.matched }, { label, rsc: want.rsc, final: true, matched: 'exact' }, `${protocol} ${operation} ${code}`);
      }
    }
    const result = await runCli(['mappings', 'explain', '--dir', SHIPPED, '--protocol', protocol, '--operation', 'update', ...rows.flatMap(([code]) => ['--code', code])]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(jsonLines(result.stdout), rows.map(([, label]) => expectation(label, 'update')));
  }
});
