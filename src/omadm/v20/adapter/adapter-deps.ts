import type { Logger } from '../../../core/logger.js';
import type { AsyncResults } from '../../common/async-results.js';
import type { ConverterRegistry, MappingSet } from '../../../mappings/types.js';
import type { DataRepository } from '../repository/index.js';
import type { Dm2Dispatch } from './dm2-dispatch.js';
import type { GetUnsupportedDevices } from './get-support.js';
import type { ReadCache } from './read-cache.js';

/** What the DM 2.0 operations share. */
export interface Dm2OperationDeps {
  dispatch: Dm2Dispatch;
  asyncResults: AsyncResults;
  repository: DataRepository;
  /** The repository's time to live for a URI once the device has it (DM2_REPO_TTL_S, ms). */
  repositoryTtlMs: number;
  /** DM2_PATH: EXEC report URIs live there. */
  dm2Path: string;
  cache: ReadCache;
  /** Devices read with HPUT because they cannot GET. */
  getUnsupported: GetUnsupportedDevices;
  converters: ConverterRegistry;
  logger: Logger;
  /** One table snapshot per request, so a hot reload never mixes two versions in one answer. */
  table(): MappingSet;
  /** The MIIDs of an MO the device listed in its last package 1 (this process). */
  miids(devId: string, moid: string): readonly string[] | undefined;
  /** A fresh unguessable token naming one EXEC's report URI. */
  token(): string;
}
