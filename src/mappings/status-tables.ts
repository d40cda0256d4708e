import { LWM2M_RESULT_OPERATIONS, PROXY_OUTCOMES, type TransportOutcome } from '../core/device-adapter.js';
import { httpStatusForRsc, rscName } from '../core/rsc.js';
import type { StatusMapping, StatusProtocol } from './types.js';
import type { Vocabulary } from './vocabulary.js';
import type { Problems, YamlSource } from './yaml-source.js';

export interface StatusRow {
  code: string;
  label: string;
  description?: string;
  note?: string;
  useCachedData?: boolean;
}

/** `status/<protocol>.yaml` once its schema passed. */
export interface StatusFile {
  protocol: StatusProtocol;
  transport?: StatusRow[];
  proxy?: StatusRow[];
  operations: Record<string, { source?: string; rows: StatusRow[] }>;
}

/** One operation's table, ready for O(1) lookups. */
export interface StatusLookup {
  exact: ReadonlyMap<string, StatusMapping>;
  byClass: ReadonlyMap<string, StatusMapping>;
  /** Codes of a class without a class row, and anything that is no code at all: the 5xx row. */
  fallback: StatusMapping;
}

/** A table as integrators read it (render, explain). */
export interface StatusTableView {
  protocol: StatusProtocol;
  operation: string;
  source?: string;
  rows: ReadonlyArray<{ code: string; note?: string; mapping: StatusMapping }>;
}

const REQUIRED_CLASSES = ['2', '4', '5'];
const FALLBACK_CLASS = '5';
const REQUIRED_TRANSPORT: Record<StatusProtocol, readonly TransportOutcome[]> = {
  lwm2m: ['timeout', 'not-registered', 'sleeping', 'decode-error'],
  omadm13: ['timeout', 'session-timeout', 'trigger-failed', 'queue-full', 'not-registered', 'decode-error'],
  omadm20: ['timeout', 'session-timeout', 'trigger-failed', 'queue-full', 'not-registered', 'decode-error'],
};

const COAP_CODE = /^\d\.\d\d$/;
const STATUS_CODE = /^\d{3}$/;
/** Codes of a result table (an LwM2M Update Result, 0–255), and its row for every value it does not list. */
const RESULT_CODE = /^(0|[1-9]\d{0,2})$/;
const OTHER_RESULTS = 'other';

/** Operations whose rows are keyed by a value the device reports at the end of long work, not by a response code. */
function isResultOperation(protocol: StatusProtocol, operation: string): boolean {
  return protocol === 'lwm2m' && (LWM2M_RESULT_OPERATIONS as readonly string[]).includes(operation);
}

/** `2.05` → `2.xx`, `404` → `4xx`; '' for anything that is not a code. */
export function classOf(code: string): string {
  if (COAP_CODE.test(code)) return `${code[0]}.xx`;
  if (STATUS_CODE.test(code)) return `${code[0]}xx`;
  return '';
}

function isClassRow(code: string): boolean {
  return code.endsWith('xx') || code === OTHER_RESULTS;
}

function classKey(protocol: StatusProtocol, digit: string): string {
  return protocol === 'lwm2m' ? `${digit}.xx` : `${digit}xx`;
}

/** Checks what the schema cannot: protocol and code style, labels, duplicates, class rows. */
export function checkStatusTable(
  source: YamlSource,
  file: StatusFile,
  protocol: StatusProtocol,
  knownLabel: ((label: string) => boolean) | undefined,
  problems: Problems,
): void {
  if (file.protocol !== protocol) problems.at(source, ['protocol'], `protocol: this file holds the ${protocol} table, not "${file.protocol}"`);
  const dotted = protocol === 'lwm2m';
  const checkRows = (rows: StatusRow[], base: (string | number)[], where: string, results = false) => {
    const firstLine = new Map<string, number>();
    rows.forEach((row, i) => {
      const path = [...base, i];
      const line = source.lineOf(path);
      const looksDotted = row.code.includes('.');
      const resultCode = RESULT_CODE.test(row.code) && Number(row.code) <= 255;
      if (results) {
        if (!resultCode && row.code !== OTHER_RESULTS) problems.at(source, [...path, 'code'], `${where}: code "${row.code}" is not a result value 0–255 or "other"`);
      } else if (base[0] === 'operations' && (looksDotted !== dotted || row.code === OTHER_RESULTS || (resultCode && !STATUS_CODE.test(row.code)))) {
        problems.at(source, [...path, 'code'], `${where}: code "${row.code}" is not ${dotted ? 'a CoAP code like "4.04" or "4.xx"' : 'an OMA DM code like "404" or "4xx"'}`);
      }
      const earlier = firstLine.get(row.code);
      if (earlier !== undefined) problems.add(source.file, line, `${where}: second row for code "${row.code}" (first at line ${earlier})`);
      else firstLine.set(row.code, line);
      if (knownLabel && !knownLabel(row.label)) {
        problems.at(source, [...path, 'label'], `${where}: label "${row.label}" is not in status/vocabulary.yaml`);
      }
    });
    return firstLine;
  };
  const transportCodes = checkRows(file.transport ?? [], ['transport'], 'transport');
  for (const code of REQUIRED_TRANSPORT[protocol]) {
    if (!transportCodes.has(code)) problems.at(source, ['transport'], `transport: no row for "${code}"`);
  }
  const proxyCodes = checkRows(file.proxy ?? [], ['proxy'], 'proxy');
  // Outcomes the proxy decides without asking the device: every table answers them.
  for (const code of PROXY_OUTCOMES) {
    if (!proxyCodes.has(code)) problems.at(source, ['proxy'], `proxy: no row for "${code}"`);
  }
  for (const [operation, table] of Object.entries(file.operations)) {
    const results = isResultOperation(protocol, operation);
    const codes = checkRows(table.rows, ['operations', operation, 'rows'], `operations.${operation}`, results);
    if (results) {
      if (!codes.has(OTHER_RESULTS)) problems.at(source, ['operations', operation, 'rows'], `operations.${operation}: no row for "${OTHER_RESULTS}" (the values the table does not list need one)`);
      continue;
    }
    for (const digit of REQUIRED_CLASSES) {
      const key = classKey(protocol, digit);
      if (!codes.has(key)) {
        problems.at(source, ['operations', operation, 'rows'], `operations.${operation}: no class row for "${key}" (the codes the table does not list need one)`);
      }
    }
  }
}

function toMapping(row: StatusRow, operation: string, vocabulary: Vocabulary): StatusMapping {
  const { rsc, final } = vocabulary.resolve(row.label, operation);
  const mapping: StatusMapping = { label: row.label, rsc, rscName: rscName(rsc), http: httpStatusForRsc(rsc), final, matched: isClassRow(row.code) ? 'default' : 'exact' };
  if (row.description !== undefined) mapping.description = row.description;
  if (row.useCachedData) mapping.useCachedData = true;
  return Object.freeze(mapping);
}

/** Builds the lookups of every operation of one checked file; transport and proxy rows join every operation. */
export function buildStatusTables(file: StatusFile, vocabulary: Vocabulary): { lookups: Map<string, StatusLookup>; views: StatusTableView[] } {
  const lookups = new Map<string, StatusLookup>();
  const views: StatusTableView[] = [];
  for (const [operation, table] of Object.entries(file.operations)) {
    const exact = new Map<string, StatusMapping>();
    const byClass = new Map<string, StatusMapping>();
    const rows = [...table.rows, ...(file.transport ?? []), ...(file.proxy ?? [])].map((row) => {
      const mapping = toMapping(row, operation, vocabulary);
      (isClassRow(row.code) ? byClass : exact).set(row.code, mapping);
      return { code: row.code, note: row.note, mapping };
    });
    const fallback = byClass.get(isResultOperation(file.protocol, operation) ? OTHER_RESULTS : classKey(file.protocol, FALLBACK_CLASS));
    if (!fallback) throw new Error(`${file.protocol} ${operation}: no fallback row (the table was not checked)`);
    lookups.set(operation, { exact, byClass, fallback });
    views.push({ protocol: file.protocol, operation, source: table.source, rows });
  }
  return { lookups, views };
}
