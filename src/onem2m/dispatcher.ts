import type { CoreDeps } from '../app.js';
import type { AdapterRegistry } from '../devices/adapter.js';
import type { RequestHandler } from './primitives.js';
import type { ResourceTree } from './resources/resource-tree.js';
import type { AccessPolicy } from './access-control.js';
export function createDispatcher(_deps: CoreDeps & { tree: ResourceTree; adapters: AdapterRegistry; access: AccessPolicy }): RequestHandler {
  throw new Error('not implemented yet');
}
