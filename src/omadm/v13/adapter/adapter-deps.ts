import type { Logger } from '../../../core/logger.js';
import type { ConverterRegistry, MappingSet } from '../../../mappings/types.js';
import type { CommandDispatch } from './command-dispatch.js';
import type { AsyncResults } from './async-results.js';

/** What the DM 1.2/1.3 operations share. */
export interface DmOperationDeps {
  dispatch: CommandDispatch;
  asyncResults: AsyncResults;
  converters: ConverterRegistry;
  logger: Logger;
  /** One table snapshot per request, so a hot reload never mixes two versions in one answer. */
  table(): MappingSet;
  /** A fresh Exec Correlator. */
  correlator(): string;
}
