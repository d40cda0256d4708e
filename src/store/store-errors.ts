/** Thrown by any Store when a write would give two siblings the same resource name or two resources the same path. */
export class ResourceConflictError extends Error {
  constructor(readonly path: string) {
    super(`a resource named "${path}" already exists`);
    this.name = 'ResourceConflictError';
  }
}
