import type { Lwm2mClientInfo } from '../downlink.js';
import type { QueueGate } from './endpoint-queue.js';

/**
 * Queue mode (LwM2M transport §Queue Mode): a client registered with `Q` is reachable only for a while
 * after it sent a message; requests to it wait until then.
 */
export class AwakeTracker implements QueueGate {
  private readonly lastAwake = new Map<string, number>();

  constructor(
    private readonly lookup: (endpoint: string) => Lwm2mClientInfo | undefined,
    private readonly awakeMs: number,
  ) {}

  markAwake(endpoint: string): void {
    this.lastAwake.set(endpoint, Date.now());
  }

  forget(endpoint: string): void {
    this.lastAwake.delete(endpoint);
  }

  /** Open for clients without queue mode and for unknown ones (their request fails fast as not registered). */
  isOpen(endpoint: string): boolean {
    const client = this.lookup(endpoint);
    if (!client || !client.queueMode) return true;
    const last = Math.max(client.lastSeen, this.lastAwake.get(endpoint) ?? 0);
    return Date.now() - last < this.awakeMs;
  }
}
