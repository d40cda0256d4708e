import type { Registration } from './registration.js';

function peerKey(address: string, port: number): string {
  return `${address}|${port}`;
}

/**
 * In-memory index of this instance's registrations for the synchronous lookups on the hot path (the downlink per
 * request, every incoming datagram). A cache only: the registration store owns the registrations, the index is
 * written after the store and rebuilt from it on start.
 */
export class RegistrationIndex {
  private readonly byEndpoint = new Map<string, Registration>();
  private readonly endpointById = new Map<string, string>();
  private readonly endpointByPeer = new Map<string, string>();

  get size(): number {
    return this.byEndpoint.size;
  }

  get(endpoint: string): Registration | undefined {
    return this.byEndpoint.get(endpoint);
  }

  byId(id: string): Registration | undefined {
    const endpoint = this.endpointById.get(id);
    return endpoint === undefined ? undefined : this.byEndpoint.get(endpoint);
  }

  /** The endpoint whose latest indexed registration came from this address and port. */
  endpointAt(address: string, port: number): string | undefined {
    return this.endpointByPeer.get(peerKey(address, port));
  }

  list(): Registration[] {
    return [...this.byEndpoint.values()];
  }

  /** Indexes `registration`, replacing the endpoint's previous one. */
  set(registration: Registration): void {
    const previous = this.byEndpoint.get(registration.endpoint);
    if (previous) this.delete(previous);
    this.byEndpoint.set(registration.endpoint, registration);
    this.endpointById.set(registration.id, registration.endpoint);
    this.endpointByPeer.set(peerKey(registration.address, registration.port), registration.endpoint);
  }

  delete(registration: Registration): void {
    this.byEndpoint.delete(registration.endpoint);
    this.endpointById.delete(registration.id);
    const key = peerKey(registration.address, registration.port);
    if (this.endpointByPeer.get(key) === registration.endpoint) this.endpointByPeer.delete(key);
  }
}
