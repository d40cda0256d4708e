/**
 * The label → RSC defaults of DESIGN.md ("Mapping tables"), written out independently of
 * mappings/status/vocabulary.yaml so that a changed vocabulary row fails a test.
 */
export const SUCCESS_RSC: Record<string, number> = {
  create: 2001, retrieve: 2000, read: 2000, discover: 2000, observe: 2000,
  update: 2004, write: 2004, execute: 2004, 'write-attributes': 2004, delete: 2002,
  'firmware-update-result': 2004, 'software-update-result': 2004,
};

export const LABEL_RSC: Record<string, number> = {
  accepted: 1000,
  'error - bad request': 4000,
  'error - no privilege': 5105,
  'error - not found': 6005,
  'error - not allowed': 4005,
  'error - forbidden': 4005,
  'error - authentication failed': 6020,
  'error - mgmt adapter error': 6025,
  'error - unsupported data type': 4015,
  'error - already exists': 5106,
  'error - no storage': 5000,
  'error - internal error': 5000,
  'error - not executed': 5000,
  'error - unsupported resource': 5001,
  'error - not implemented': 5001,
  'error - service unavailable': 6003,
  'error - user rejected': 4127,
  'error - not reachable': 6003,
  'error - not reachable before expiry': 6030,
};

/** Labels that are no final answer (the proxy keeps waiting). */
export const NOT_FINAL = new Set(['accepted', 'n/a']);

/** Expected RSC of a label for an operation; undefined for `n/a` (not final, no RSC of its own). */
export function expectedRsc(label: string, operation: string): number | undefined {
  if (label === 'success') return SUCCESS_RSC[operation];
  return LABEL_RSC[label];
}

/** The `compat` profile of DESIGN / issue 3. */
export const COMPAT_SUBSTITUTES: Record<number, number> = {
  6003: 5103, 6005: 4004, 6020: 5103, 6021: 5103, 6025: 5000, 5106: 4105, 4127: 4103, 6030: 4008,
};
