import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMappings } from '../../src/mappings/loader.js';
import type { LoadedMappingSet } from '../../src/mappings/mapping-set.js';
import type { StatusProtocol } from '../../src/mappings/types.js';
import { httpStatusForRsc, rscName } from '../../src/core/rsc.js';
import { runCli } from './cli-runner.js';
import { COMPAT_SUBSTITUTES } from './expected-vocabulary.js';
import { SHIPPED_TABLES, TableCopy } from './table-copy.js';

function load(dir: string, profile: string): LoadedMappingSet {
  const result = loadMappings(dir, profile);
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  return result.set;
}

/** One row per substituted RSC: where it appears in the shipped tables. */
const ROWS: Array<[StatusProtocol, string, string, number]> = [
  ['lwm2m', 'read', 'timeout', 6003],
  ['lwm2m', 'read', '4.04', 6005],
  ['omadm13', 'create', '407', 6020],
  ['lwm2m', 'read', 'decode-error', 6025],
  ['lwm2m', 'create', '4.00', 5106],
  ['omadm20', 'create', '507', 4127],
  ['lwm2m', 'read', 'sleeping', 6030],
];

test('compat sends the older code for every 6xxx (and 5106, 4127) outcome', () => {
  const standard = load(SHIPPED_TABLES, 'default');
  const compat = load(SHIPPED_TABLES, 'compat');
  for (const [protocol, operation, code, rsc] of ROWS) {
    assert.equal(standard.status(protocol, operation as 'read', code).rsc, rsc, `${protocol} ${operation} ${code} (default)`);
    const answer = compat.status(protocol, operation as 'read', code);
    const want = COMPAT_SUBSTITUTES[rsc];
    assert.deepEqual([answer.rsc, answer.rscName, answer.http], [want, rscName(want), httpStatusForRsc(want)], `${protocol} ${operation} ${code}`);
    assert.equal(answer.label, standard.status(protocol, operation as 'read', code).label, 'the label stays');
  }
});

test('compat leaves every other code alone', () => {
  const compat = load(SHIPPED_TABLES, 'compat');
  assert.equal(compat.status('lwm2m', 'read', '2.05').rsc, 2000);
  assert.equal(compat.status('lwm2m', 'read', '4.05').rsc, 4005);
  assert.equal(compat.status('omadm13', 'update', '420').rsc, 5000);
  assert.equal(compat.status('omadm20', 'execute', '202').rsc, 1000);
});

test('compat also rewrites 6021 when a label uses it', () => {
  const copy = new TableCopy();
  try {
    copy.edit('status/vocabulary.yaml', '  error - authentication failed:\n    description: The management session could not be established (credentials missing or refused).\n    rsc: 6020',
      '  error - authentication failed:\n    rsc: 6021');
    assert.equal(load(copy.dir, 'default').status('omadm13', 'create', '407').rsc, 6021);
    assert.equal(load(copy.dir, 'compat').status('omadm13', 'create', '407').rsc, 5103);
  } finally {
    copy.remove();
  }
});

test('the CLI takes the profile from --profile or STATUS_PROFILE', async () => {
  const args = ['mappings', 'explain', '--dir', SHIPPED_TABLES, '--protocol', 'lwm2m', '--operation', 'retrieve', '--code', 'sleeping'];
  const viaOption = await runCli([...args, '--profile', 'compat']);
  assert.equal(viaOption.status, 0, viaOption.stderr);
  assert.deepEqual(JSON.parse(viaOption.stdout), { label: 'error - not reachable before expiry', rsc: 4008, rscName: 'REQUEST_TIMEOUT', http: 504, final: true });
  const viaEnv = await runCli(args, { STATUS_PROFILE: 'compat' });
  assert.equal(JSON.parse(viaEnv.stdout).rsc, 4008);
  const unknown = await runCli([...args, '--profile', 'legacy']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown status profile "legacy" \(STATUS_PROFILE; profiles: default, compat\)/);
});
