/**
 * Provokes rows of mappings/status/omadm20.yaml through real DM 2.0 sessions: the simulated device answers the command
 * an operation sends with a chosen status code, the oneM2M request's X-M2M-RSC is checked against the row's label in
 * mappings/status/vocabulary.yaml (the tables are the contract, read here with the `yaml` package).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { OneM2MOperation } from '../../../src/core/device-adapter.js';
import type { Dm2Faults } from '../../../src/sim/omadm2/index.js';
import { type OneM2MAnswer, wrap } from '../../management/managed-devices.js';
import { CREATE, type ManagedDm2Device, PATIENT, managedDm2Device, oneM2M, throughSession } from './dm2-adapter-kit.js';

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
const statusFile = parse(readFileSync(new URL('omadm20.yaml', MAPPINGS), 'utf8')) as StatusFile;
const vocabulary = parse(readFileSync(new URL('vocabulary.yaml', MAPPINGS), 'utf8')) as VocabularyFile;

/** The code sent for a class row: one no DM 2.0 table lists (299, 301, 499 and 599 are unassigned in HTTP). */
const CLASS_CODES: Readonly<Record<string, number>> = { '2xx': 299, '3xx': 301, '4xx': 499, '5xx': 599 };

/** Written out apart from the YAML, so that the tables and the code drifting together still fail. */
export const HARD_CODED: ReadonlyArray<{ operation: OneM2MOperation; code: number; rsc: number }> = [
  { operation: 'retrieve', code: 304, rsc: 2000 },
  { operation: 'retrieve', code: 204, rsc: 2000 },
  { operation: 'retrieve', code: 500, rsc: 6025 },
  { operation: 'retrieve', code: 599, rsc: 6025 },
  { operation: 'create', code: 419, rsc: 6025 },
  { operation: 'create', code: 599, rsc: 5000 },
  { operation: 'update', code: 415, rsc: 4015 },
  { operation: 'update', code: 501, rsc: 5001 },
  { operation: 'execute', code: 202, rsc: 1000 },
  { operation: 'execute', code: 405, rsc: 4005 },
  { operation: 'delete', code: 405, rsc: 4005 },
  { operation: 'delete', code: 499, rsc: 6025 },
];

export interface ProvokedRow {
  /** The table's row code (`404`, or a class `4xx`). */
  row: string;
  /** The status code the device answers. */
  code: number;
  label: string;
  rsc: number;
  /** false for `accepted`: the proxy answers 1000 with m2m:dbg. */
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

/** The row of one code (explicit, else its class row), for the hard-coded checks. */
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

/** Checks the answer against the row (and against HARD_CODED when it lists the code), and that the code was answered. */
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

/** The status codes the device answered to the commands of the sessions since event index `from`. */
export function answeredSince(dm: ManagedDm2Device, from: number): number[] {
  return dm.sim.events.slice(from).flatMap((event) => (event.event === 'command' && typeof event.status === 'number' ? [event.status] : []));
}

/** How a row is provoked: every command `cmd` answered `code`, or fault switches set on the device (then cleared). */
export type Forcing = { cmd: string; code: number } | ((faults: Dm2Faults) => void);

/** 419 the real way: every exchange with a ServerURI (the repository's HGET, an EXEC's report) fails on the device. */
export const serverUriFails: Forcing = (faults) => {
  faults.serverUriFails = true;
};

/** Runs `request` through the device's next session with the forcings in place, then clears the faults. */
export async function forcedThroughSession(dm: ManagedDm2Device, forcings: Forcing[], request: () => Promise<OneM2MAnswer>): Promise<{ answer: OneM2MAnswer; sent: number[] }> {
  for (const forcing of forcings) {
    if (typeof forcing === 'function') forcing(dm.sim.faults);
    else dm.sim.faults.forceStatus(() => true, forcing.code, { cmd: forcing.cmd, times: Infinity });
  }
  const from = dm.sim.events.length;
  try {
    const answer = await throughSession(dm, request);
    return { answer, sent: answeredSince(dm, from) };
  } finally {
    dm.sim.faults.clear();
  }
}

/** What a Create posts: a software mgmtObj (vr, swn, url are mandatory on Create); its instance node is `<x>`. */
export function softwareContent(instance: string) {
  return wrap('software', { mgd: 1002, rn: `software-${instance}`, swn: instance, vr: '1.0', url: `http://sw.example/${instance}` });
}

/** A software mgmtObj created through a session, nothing forced. */
export async function createdSoftware(dm: ManagedDm2Device, instance: string): Promise<string> {
  const created = await throughSession(dm, () => oneM2M(dm.proxy, 'POST', dm.node, softwareContent(instance), CREATE));
  assert.equal(created.rsc, 2001, created.dbg);
  return `${dm.node}/software-${instance}`;
}

export { CREATE, type ManagedDm2Device, PATIENT, managedDm2Device, oneM2M, throughSession, wrap };
