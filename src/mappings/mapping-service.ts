import type { CoreDeps } from '../app.js';
import type { MappingService } from './types.js';
export async function startMappingService(_deps: CoreDeps): Promise<MappingService> {
  throw new Error('not implemented yet');
}
