import type { RegistrationChange } from '../registration/registration-service.js';

export type { RegistrationChange };

/** Registration changes by endpoint, for listeners that come and go (the downlink's own listeners stay forever). */
export class RegistrationEvents {
  private readonly listeners = new Map<string, Set<(change: RegistrationChange) => void>>();

  emit(endpoint: string, change: RegistrationChange): void {
    for (const listener of [...(this.listeners.get(endpoint) ?? [])]) listener(change);
  }

  /** Listens until the returned function is called. */
  on(endpoint: string, listener: (change: RegistrationChange) => void): () => void {
    let set = this.listeners.get(endpoint);
    if (!set) {
      set = new Set();
      this.listeners.set(endpoint, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(endpoint) === set) this.listeners.delete(endpoint);
    };
  }
}
