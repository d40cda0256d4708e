/** Thrown by any ResourceStore when a write would give two siblings the same resource name or two resources the same path. */
export class ResourceConflictError extends Error {
  constructor(readonly path: string) {
    super(`a resource named "${path}" already exists`);
    this.name = 'ResourceConflictError';
  }
}

/** Thrown by any ResourceStore when a condition of a write no longer holds; nothing was written. */
export class ResourceConditionError extends Error {
  constructor(readonly condition: string) {
    super(`the resource store refused a write: ${condition} no longer holds`);
    this.name = 'ResourceConditionError';
  }
}

/** Thrown by any RegistrationStore when a registration id is already held by another endpoint; nothing was written. */
export class RegistrationConflictError extends Error {
  constructor(readonly id: string) {
    super(`registration id "${id}" is held by another endpoint`);
    this.name = 'RegistrationConflictError';
  }
}
