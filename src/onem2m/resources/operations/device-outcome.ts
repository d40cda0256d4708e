/** The core's reading of a device report: the status table row it falls on decides the RSC, finality and m2m:dbg. */
import type { DeviceReport } from '../../../core/device-adapter.js';
import type { MappingSet } from '../../../mappings/types.js';

export type DeviceOutcome = Pick<DeviceReport, 'attributes' | 'leftOut' | 'obis' | 'obps'> & {
  /** The row's RSC under the status profile. */
  rsc: number;
  /** false: accepted / not final (the final result arrives later). */
  final: boolean;
  /** The row's label and what the adapter knows (or, when it says nothing more, the technology, operation and code). */
  dbg: string;
};

/** Maps a report through `mappings/status/<technology>.yaml` (row `operation`, code `code`) and the status profile. */
export function outcomeOf(table: MappingSet, report: DeviceReport): DeviceOutcome {
  const { technology, operation, code, detail, ...values } = report;
  const row = table.status(technology, operation, code);
  return { ...values, rsc: row.rsc, final: row.final, dbg: `${row.label} ${detail ?? `(${technology} ${operation} → ${code})`}` };
}

export function isFinalSuccess(outcome: DeviceOutcome): boolean {
  return outcome.final && outcome.rsc >= 2000 && outcome.rsc < 3000;
}
