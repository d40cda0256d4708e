/**
 * Provokes rows of mappings/status/omadm13.yaml through real DM sessions: the simulated device answers the command an
 * operation sends with a chosen code, the oneM2M request's X-M2M-RSC is checked against the row's label in
 * mappings/status/vocabulary.yaml (the tables are the contract, read here with the `yaml` package).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { OneM2MOperation } from '../../../src/core/device-adapter.js';
import { type OneM2MAnswer, wrap } from '../../management/managed-devices.js';
import { PATIENT, managedDmDevice, oneM2M, throughSession } from './dm-adapter-kit.js';

type Dm = Awaited<ReturnType<typeof managedDmDevice>>;

interface TableRow {
  code: string;
  label: string;
}

interface StatusFile {
  operations: Record<OneM2MOperation, { rows: TableRow[] }>;
}

interface VocabularyFile {
  labels: Record<string, { rsc: number | Record<string, number>; final?: boolean }>;
}

const MAPPINGS = new URL('../../../../mappings/status/', import.meta.url);
const statusFile = parse(readFileSync(new URL('omadm13.yaml', MAPPINGS), 'utf8')) as StatusFile;
const vocabulary = parse(readFileSync(new URL('vocabulary.yaml', MAPPINGS), 'utf8')) as VocabularyFile;

/** The code sent for a class row: one no table lists (101 is SyncML's In progress, the others are unassigned). */
const CLASS_CODES: Readonly<Record<string, number>> = { '1xx': 101, '2xx': 299, '3xx': 301, '4xx': 499, '5xx': 599 };

/** Written out apart from the YAML, so that the tables and the code drifting together still fail. */
export const HARD_CODED: ReadonlyArray<{ operation: OneM2MOperation; code: number; rsc: number }> = [
  { operation: 'retrieve', code: 404, rsc: 6005 },
  { operation: 'create', code: 418, rsc: 5106 },
  { operation: 'execute', code: 202, rsc: 1000 },
  { operation: 'delete', code: 405, rsc: 4005 },
  { operation: 'update', code: 425, rsc: 5105 },
  { operation: 'update', code: 403, rsc: 4005 },
  { operation: 'create', code: 401, rsc: 5105 },
  { operation: 'retrieve', code: 500, rsc: 5000 },
  { operation: 'create', code: 213, rsc: 1000 },
];

export interface ProvokedRow {
  /** The table's row code (`404`, or a class `4xx`). */
  row: string;
  /** The status code the device answers. */
  code: number;
  label: string;
  rsc: number;
  /** false for `n/a` / `accepted`: the proxy answers 1000 with m2m:dbg. */
  final: boolean;
}

function expectation(operation: OneM2MOperation, row: TableRow, code: number): ProvokedRow {
  const entry = vocabulary.labels[row.label];
  assert.ok(entry, `label "${row.label}" of ${operation} ${row.code} is in vocabulary.yaml`);
  const rsc = typeof entry.rsc === 'number' ? entry.rsc : entry.rsc[operation];
  assert.equal(typeof rsc, 'number', `label "${row.label}" has an RSC for ${operation}`);
  return { row: row.code, code, label: row.label, rsc, final: entry.final ?? true };
}

/** Every explicit row of an operation's table, then one unlisted code per class row. */
export function rowsOf(operation: OneM2MOperation): ProvokedRow[] {
  const rows = statusFile.operations[operation].rows;
  const listed = new Set(rows.map((row) => row.code));
  const explicit = rows.filter((row) => /^\d{3}$/.test(row.code)).map((row) => expectation(operation, row, Number(row.code)));
  const classes = rows.filter((row) => /^\dxx$/.test(row.code)).map((row) => {
    const code = CLASS_CODES[row.code];
    assert.ok(code !== undefined && !listed.has(String(code)), `${code} is an unlisted code of class ${row.code}`);
    return expectation(operation, row, code);
  });
  return [...explicit, ...classes];
}

/** The row of one code (explicit, else its class row), for the DM 1.2 samples and the hard-coded checks. */
export function rowFor(operation: OneM2MOperation, code: number): ProvokedRow {
  const rows = statusFile.operations[operation].rows;
  const row = rows.find((entry) => entry.code === String(code)) ?? rows.find((entry) => entry.code === `${String(code)[0]}xx`);
  assert.ok(row, `${operation} has a row for ${code}`);
  return expectation(operation, row, code);
}

export function describeRow(operation: OneM2MOperation, row: ProvokedRow): string {
  const which = row.row === String(row.code) ? `row ${row.row}` : `class row ${row.row} (sends ${row.code})`;
  const kind = row.final ? '' : ', not final: 1000 with m2m:dbg';
  return `${operation} ${which}: "${row.label}" → ${row.rsc}${kind}`;
}

/** Checks the answer against the row (and against HARD_CODED when it lists the code), and that the forced code was sent. */
export function assertRow(operation: OneM2MOperation, row: ProvokedRow, answer: OneM2MAnswer, sent: number[]): void {
  assert.ok(sent.includes(row.code), `the device answered ${row.code} to a command of the ${operation} (answered: ${sent.join(', ')})`);
  const context = `${operation} ${row.code}: rsc ${answer.rsc}, dbg ${answer.dbg ?? '(none)'}`;
  assert.equal(answer.rsc, row.rsc, context);
  const fixed = HARD_CODED.find((entry) => entry.operation === operation && entry.code === row.code);
  if (fixed) assert.equal(answer.rsc, fixed.rsc, `hard-coded expectation: ${context}`);
  if (row.label !== 'success') {
    assert.ok(answer.dbg?.startsWith(row.label), `m2m:dbg starts with the label "${row.label}": ${answer.dbg}`);
    if (row.label !== 'accepted') assert.ok(answer.dbg?.includes(String(row.code)), `m2m:dbg names the code ${row.code}: ${answer.dbg}`);
  }
}

/** What a Create posts: a software mgmtObj (vr, swn, url are mandatory on Create); its instance node is `<x>`. */
export const CREATE_HEADERS = { ...PATIENT, 'Content-Type': 'application/json;ty=13' };
export function softwareContent(instance: string) {
  return wrap('software', { mgd: 1002, rn: `software-${instance}`, swn: instance, vr: '1.0', url: `http://repo.example/${instance}` });
}

/** The status codes the device answered in the commands of the sessions since event index `from`. */
export function answeredSince(dm: Dm, from: number): number[] {
  return dm.sim.events.slice(from).flatMap((event) => (event.event === 'command' && typeof event.status === 'number' ? [event.status] : []));
}

/** Runs `request` through the device's next session with every command `cmd` answered `code` (and `also` forced), then clears the faults. */
export async function forcedThroughSession(
  dm: Dm,
  devId: string,
  forced: Array<{ cmd: string; code: number }>,
  request: () => Promise<OneM2MAnswer>,
): Promise<{ answer: OneM2MAnswer; sent: number[] }> {
  for (const { cmd, code } of forced) dm.sim.faults.forceStatus(() => true, code, { cmd, times: Infinity });
  const from = dm.sim.events.length;
  try {
    const answer = await throughSession(dm, devId, request);
    return { answer, sent: answeredSince(dm, from) };
  } finally {
    dm.sim.faults.clear();
  }
}

/** A software mgmtObj created through a session, nothing forced. */
export async function createdSoftware(dm: Dm, devId: string, instance: string): Promise<string> {
  const created = await throughSession(dm, devId, () => oneM2M(dm.proxy, 'POST', dm.node, softwareContent(instance), CREATE_HEADERS));
  assert.equal(created.rsc, 2001, created.dbg);
  return `${dm.node}/software-${instance}`;
}

/** Statuses an Atomic gives its inner commands that did not fail themselves. */
export const CONSEQUENTIAL = new Set([215, 216, 516]);

export { type Dm, PATIENT, managedDmDevice, oneM2M, throughSession, wrap };
