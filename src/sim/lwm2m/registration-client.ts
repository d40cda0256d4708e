import { ContentFormat } from '../../lwm2m/formats/index.js';
import { parseCoapUri, readAccounts, usableServerAccount, type CoapAddress } from './accounts.js';
import type { OutgoingRequest, ServerAnswer } from './coap-endpoint.js';
import type { ObjectStore } from './object-store.js';
import type { ResolvedOptions } from './options.js';
import { objectLinks, registerQuery, updateQuery, type UpdateParameters } from './registration-messages.js';

export interface RegisterResult {
  code: string;
  /** `/rd/…` from the Location-Path of a 2.01 answer. */
  location?: string;
  payload: Buffer;
}

/** The client side of the Registration interface: Register, Update and De-register, keeping the location in between. */
export class RegistrationClient {
  private registration?: { server: CoapAddress; location: string[] };

  constructor(
    private readonly store: ObjectStore,
    private readonly options: ResolvedOptions,
    private readonly send: (request: OutgoingRequest) => Promise<ServerAnswer>,
  ) {}

  get location(): string | undefined {
    return this.registration && '/' + this.registration.location.join('/');
  }

  get registered(): boolean {
    return this.registration !== undefined;
  }

  async register(): Promise<RegisterResult> {
    const server = this.serverAddress();
    const { registerPayload, linkContentFormat } = this.options;
    const answer = await this.send({
      ...server,
      method: 'POST',
      path: ['rd'],
      query: registerQuery(this.options),
      contentFormat: linkContentFormat === null ? undefined : (linkContentFormat ?? ContentFormat.LINK_FORMAT),
      payload: Buffer.from(registerPayload ?? this.links()),
    });
    if (answer.code !== '2.01') return { code: answer.code, payload: answer.payload };
    this.registration = { server, location: answer.locationPath };
    return { code: answer.code, location: this.location, payload: answer.payload };
  }

  async update(parameters: UpdateParameters): Promise<ServerAnswer> {
    const { server, location } = this.current();
    return this.send({
      ...server,
      method: 'POST',
      path: location,
      query: updateQuery(parameters),
      contentFormat: parameters.objects ? ContentFormat.LINK_FORMAT : undefined,
      payload: parameters.objects ? Buffer.from(this.links()) : undefined,
    });
  }

  async deregister(): Promise<ServerAnswer> {
    const { server, location } = this.current();
    const answer = await this.send({ ...server, method: 'DELETE', path: location, query: [] });
    if (answer.code === '2.02') this.registration = undefined;
    return answer;
  }

  /** LwM2M Send (`POST /dp`, 1.1+) of an encoded payload to the server the device is registered with. */
  report(contentFormat: number, payload: Buffer): Promise<ServerAnswer> {
    const { server } = this.current();
    return this.send({ ...server, method: 'POST', path: ['dp'], query: [], contentFormat, payload });
  }

  private links(): string {
    return objectLinks(this.store, this.options.rootPath, this.options.preferredFormat);
  }

  /** The server of the first usable server account (factory or bootstrapped), else `options.server`. */
  private serverAddress(): CoapAddress {
    const account = usableServerAccount(readAccounts(this.store));
    const server = parseCoapUri(account?.security.serverUri) ?? this.options.server;
    if (!server) throw new Error('simulated device: no LwM2M Server account (bootstrap first or give options.server)');
    return server;
  }

  private current(): { server: CoapAddress; location: string[] } {
    if (!this.registration) throw new Error('simulated device: not registered');
    return this.registration;
  }
}
