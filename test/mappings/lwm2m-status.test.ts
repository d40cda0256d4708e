import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadMappings } from '../../src/mappings/loader.js';
import type { LoadedMappingSet } from '../../src/mappings/mapping-set.js';
import type { Lwm2mOperation, Lwm2mResultOperation } from '../../src/mappings/types.js';
import { httpStatusForRsc, rscName } from '../../src/core/rsc.js';
import { jsonLines, runCli } from './cli-runner.js';
import { expectedRsc } from './expected-vocabulary.js';

const SHIPPED = fileURLToPath(new URL('../../../mappings', import.meta.url));

const SUCCESS = 'success';
const BAD_REQUEST = 'error - bad request';
const NO_PRIVILEGE = 'error - no privilege';
const NOT_FOUND = 'error - not found';
const NOT_ALLOWED = 'error - not allowed';
const ADAPTER = 'error - mgmt adapter error';
const DATA_TYPE = 'error - unsupported data type';
const INTERNAL = 'error - internal error';

/**
 * The LwM2M table: per operation the codes of the response-code table in seed 000 (§8.5),
 * 5.00 for every operation (seed 000), 4.06 / 4.15 where content formats are negotiated,
 * and create 4.00 = already exists (TS-0005 Table 6.4.1-1).
 */
const LWM2M: Record<Exclude<Lwm2mOperation, Lwm2mResultOperation>, Array<[string, string]>> = {
  create: [['2.01', SUCCESS], ['4.00', 'error - already exists'], ['4.01', NO_PRIVILEGE], ['4.04', NOT_FOUND], ['4.05', NOT_ALLOWED], ['4.06', ADAPTER], ['4.15', DATA_TYPE], ['5.00', INTERNAL]],
  read: [['2.05', SUCCESS], ['4.00', BAD_REQUEST], ['4.01', NO_PRIVILEGE], ['4.04', NOT_FOUND], ['4.05', NOT_ALLOWED], ['4.06', ADAPTER], ['4.15', DATA_TYPE], ['5.00', INTERNAL]],
  write: [['2.04', SUCCESS], ['4.00', BAD_REQUEST], ['4.01', NO_PRIVILEGE], ['4.04', NOT_FOUND], ['4.05', NOT_ALLOWED], ['4.06', ADAPTER], ['4.15', DATA_TYPE], ['5.00', INTERNAL]],
  execute: [['2.04', SUCCESS], ['4.00', BAD_REQUEST], ['4.01', NO_PRIVILEGE], ['4.04', NOT_FOUND], ['4.05', NOT_ALLOWED], ['5.00', INTERNAL]],
  delete: [['2.02', SUCCESS], ['4.00', NOT_ALLOWED], ['4.01', NO_PRIVILEGE], ['4.04', NOT_FOUND], ['4.05', NOT_ALLOWED], ['5.00', INTERNAL]],
  discover: [['2.05', SUCCESS], ['4.01', NO_PRIVILEGE], ['4.04', NOT_FOUND], ['4.05', NOT_ALLOWED], ['5.00', INTERNAL]],
  'write-attributes': [['2.04', SUCCESS], ['4.00', BAD_REQUEST], ['4.01', NO_PRIVILEGE], ['4.04', NOT_FOUND], ['4.05', NOT_ALLOWED], ['5.00', INTERNAL]],
  observe: [['2.05', SUCCESS], ['4.00', NOT_ALLOWED], ['4.04', NOT_FOUND], ['4.05', NOT_ALLOWED], ['4.06', ADAPTER], ['4.15', DATA_TYPE], ['5.00', INTERNAL]],
};

/**
 * The result tables: keyed by the Update Result of /5 (0–11) and /9 (0–3, 50–59 without 55) with the OMA descriptions;
 * `other` answers any other value.
 */
const NO_STORAGE = 'error - no storage';
const SERVICE = 'error - service unavailable';
const NOT_EXECUTED = 'error - not executed';
const RESULTS: Record<Lwm2mResultOperation, Array<[string, string]>> = {
  'firmware-update-result': [
    ['0', SUCCESS], ['1', SUCCESS], ['2', NO_STORAGE], ['3', INTERNAL], ['4', SERVICE], ['5', BAD_REQUEST], ['6', DATA_TYPE],
    ['7', BAD_REQUEST], ['8', NOT_EXECUTED], ['9', 'error - not implemented'], ['10', NOT_EXECUTED], ['11', NOT_EXECUTED],
  ],
  'software-update-result': [
    ['0', SUCCESS], ['1', SUCCESS], ['2', SUCCESS], ['3', SUCCESS], ['50', NO_STORAGE], ['51', INTERNAL], ['52', SERVICE], ['53', BAD_REQUEST],
    ['54', DATA_TYPE], ['56', BAD_REQUEST], ['57', INTERNAL], ['58', NOT_EXECUTED], ['59', NOT_EXECUTED],
  ],
};

/** Outcomes without a CoAP code; they answer for every operation. */
const TRANSPORT: Array<[string, string, number]> = [
  ['timeout', 'error - not reachable', 6003],
  ['not-registered', 'error - not reachable', 6003],
  ['sleeping', 'error - not reachable before expiry', 6030],
  ['decode-error', ADAPTER, 6025],
];

/** Outcomes the proxy decides without asking the device; they answer for every operation too. */
const PROXY: Array<[string, string]> = [
  ['unmapped', NOT_FOUND],
  ['no-instance', NOT_FOUND],
  ['invalid-value', BAD_REQUEST],
  ['nothing-to-send', SUCCESS],
  ['expired', 'error - not reachable before expiry'],
];

function loadShipped(): LoadedMappingSet {
  const result = loadMappings(SHIPPED, 'default');
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  return result.set;
}

function expectation(label: string, operation: string) {
  const rsc = expectedRsc(label, operation)!;
  return { label, rsc, rscName: rscName(rsc), http: httpStatusForRsc(rsc), final: true };
}

test('MappingSet.status() answers every LwM2M row, transport and proxy outcome of every operation', () => {
  const set = loadShipped();
  for (const [operation, rows] of Object.entries(LWM2M)) {
    for (const [code, label] of rows) {
      const { label: gotLabel, rsc, rscName: name, http, final, matched } = set.status('lwm2m', operation as Lwm2mOperation, code);
      assert.deepEqual({ label: gotLabel, rsc, rscName: name, http, final }, expectation(label, operation), `${operation} ${code}`);
      assert.equal(matched, 'exact', `${operation} ${code}`);
    }
    for (const [code, label, rsc] of TRANSPORT) {
      const got = set.status('lwm2m', operation as Lwm2mOperation, code);
      assert.deepEqual([got.label, got.rsc, got.matched], [label, rsc, 'exact'], `${operation} ${code}`);
    }
    for (const [code, label] of PROXY) {
      const { label: gotLabel, rsc, rscName: name, http, final, matched } = set.status('lwm2m', operation as Lwm2mOperation, code);
      assert.deepEqual({ label: gotLabel, rsc, rscName: name, http, final }, expectation(label, operation), `${operation} ${code}`);
      assert.equal(matched, 'exact', `${operation} ${code}`);
    }
  }
});

test('the LwM2M tables hold exactly these codes per operation, plus 2.xx / 4.xx / 5.xx class rows', () => {
  const set = loadShipped();
  for (const [operation, rows] of Object.entries(LWM2M)) {
    const view = set.statusViews.find((v) => v.protocol === 'lwm2m' && v.operation === operation);
    assert.ok(view, operation);
    const coapCodes = view.rows.map((r) => r.code).filter((code) => /^\d\.\d\d$/.test(code));
    assert.deepEqual(coapCodes, rows.map(([code]) => code), operation);
    const classes = view.rows.map((r) => r.code).filter((code) => code.endsWith('xx'));
    assert.deepEqual(classes, ['2.xx', '4.xx', '5.xx'], operation);
  }
});

test('the result tables hold exactly the Update Results with their labels, other values get the `other` row, transport rows join them', () => {
  const set = loadShipped();
  for (const [operation, rows] of Object.entries(RESULTS) as Array<[Lwm2mResultOperation, Array<[string, string]>]>) {
    const view = set.statusViews.find((v) => v.protocol === 'lwm2m' && v.operation === operation);
    assert.ok(view, operation);
    assert.deepEqual(view.rows.map((r) => r.code).filter((code) => /^\d+$/.test(code)), rows.map(([code]) => code), operation);
    for (const [code, label] of rows) {
      const got = set.status('lwm2m', operation, code);
      assert.deepEqual({ label: got.label, rsc: got.rsc, final: got.final, matched: got.matched }, { label, rsc: expectedRsc(label, operation), final: true, matched: 'exact' }, `${operation} ${code}`);
    }
    for (const code of ['55', '12', '255', '2.04', 'x']) {
      const got = set.status('lwm2m', operation, code);
      assert.deepEqual([got.label, got.matched], [ADAPTER, 'default'], `${operation} ${code}`);
    }
    assert.equal(set.status('lwm2m', operation, 'timeout').rsc, 6003);
  }
  assert.equal(set.status('lwm2m', 'firmware-update-result', '1').rsc, 2004, 'an update that ended well answers as the Update did');
});

test('the CLI explains every LwM2M row, transport and proxy outcome the same way', async () => {
  for (const [operation, rows] of [...Object.entries(LWM2M), ...Object.entries(RESULTS)]) {
    const all = [...rows, ...TRANSPORT.map(([code, label]) => [code, label] as [string, string]), ...PROXY];
    const result = await runCli([
      'mappings', 'explain', '--dir', SHIPPED, '--protocol', 'lwm2m', '--operation', operation, ...all.flatMap(([code]) => ['--code', code]),
    ]);
    assert.equal(result.status, 0, result.stderr);
    const answers = jsonLines(result.stdout);
    assert.equal(answers.length, all.length, operation);
    all.forEach(([code, label], i) => assert.deepEqual(answers[i], expectation(label, operation), `${operation} ${code}`));
  }
});

test('one --code gives exactly one JSON object with the five contract keys', async () => {
  const result = await runCli(['mappings', 'explain', '--dir', SHIPPED, '--protocol', 'lwm2m', '--operation', 'create', '--code', '4.00']);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { label: 'error - already exists', rsc: 5106, rscName: 'ALREADY_EXISTS', http: 409, final: true });
});

test('the oneM2M operation names reach the LwM2M tables (retrieve → read, update → write)', () => {
  const set = loadShipped();
  const pairs: Array<[string, Lwm2mOperation, string]> = [
    ['create', 'create', '2.01'], ['retrieve', 'read', '2.05'], ['update', 'write', '2.04'], ['execute', 'execute', '2.04'], ['delete', 'delete', '2.02'],
    ['retrieve', 'read', '4.00'], ['update', 'write', '4.15'],
  ];
  for (const [oneM2M, lwm2m, code] of pairs) {
    assert.deepEqual(set.status('lwm2m', oneM2M as 'create', code), set.status('lwm2m', lwm2m, code), `${oneM2M} ${code}`);
  }
  assert.equal(set.status('lwm2m', 'retrieve', '2.05').rsc, 2000);
  assert.equal(set.status('lwm2m', 'update', '2.04').rsc, 2004);
});

test('unlisted and garbage LwM2M codes get the class rows; nothing throws', () => {
  const set = loadShipped();
  const cases: Array<[Lwm2mOperation, string, string]> = [
    ['read', '2.03', SUCCESS], ['write', '4.13', ADAPTER], ['observe', '4.01', ADAPTER], ['execute', '5.03', INTERNAL],
    ['read', '404', INTERNAL], ['read', '', INTERNAL], ['read', 'TIMEOUT', INTERNAL], ['read', '4.0', INTERNAL], ['read', 'x.yz', INTERNAL],
  ];
  for (const [operation, code, label] of cases) {
    const got = set.status('lwm2m', operation, code);
    assert.equal(got.label, label, `${operation} ${JSON.stringify(code)}`);
    assert.equal(got.matched, 'default');
  }
  assert.equal(set.status('lwm2m', 'create', '2.04').rsc, 2001, 'a 2.xx on create is a creation');
});

test('explain rejects unknown protocols and operations with a usage error', async () => {
  const bad = [
    ['--protocol', 'coap', '--operation', 'read', '--code', '2.05'],
    ['--protocol', 'lwm2m', '--operation', 'fetch', '--code', '2.05'],
    ['--protocol', 'omadm13', '--operation', 'discover', '--code', '200'],
    ['--protocol', 'lwm2m', '--operation', 'read'],
  ];
  for (const args of bad) {
    const result = await runCli(['mappings', 'explain', '--dir', SHIPPED, ...args]);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /Usage:/);
    assert.equal(result.stdout, '');
  }
});
