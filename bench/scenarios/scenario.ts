import type { BenchSettings } from '../bench-settings.js';

/** A bench scenario: starts its processes, measures, prints its JSON line(s) through `emit`, and stops every process it started. */
export type Scenario = (settings: BenchSettings, emit: (line: Record<string, unknown>) => void) => Promise<void>;
