import { EventEmitter } from 'node:events';
import { ContentFormat, encodeContent } from '../../lwm2m/formats/index.js';
import { parsePath } from '../../lwm2m/formats/path.js';
import { resourceType } from '../../lwm2m/objects/registry.js';
import { coapUri, isBootstrapAccount, readAccounts, type AccountConfiguration, type CoapAddress } from './accounts.js';
import { BootstrapOperations } from './bootstrap-operations.js';
import { CoapEndpoint, SimTimeoutError, type DeviceAnswer, type OutgoingRequest, type ReceivedRequest, type ServerAnswer } from './coap-endpoint.js';
import { defaultMultiValueFormat, undecodablePayload, type FormatPolicy } from './content-negotiation.js';
import { DeviceManagement, type DmRequest } from './dm-operations.js';
import { PackageDownloads } from './downloads/package-downloads.js';
import { loadFactoryState } from './factory-state.js';
import { FaultSwitches, requestMatcher, type ForcedAnswerOptions, type Quirks, type RequestMatch } from './faults.js';
import { NotificationAttributes } from './notification-attributes.js';
import { ObjectStore, type ResourceContent } from './object-store.js';
import { Observations, type ObservationInfo } from './observations.js';
import { connectivityObject } from './objects/connectivity.js';
import { deviceCapabilityObject } from './objects/device-capability.js';
import { deviceObject } from './objects/device.js';
import { eventLogObject } from './objects/event-log.js';
import { firmwareObject } from './objects/firmware.js';
import { serverObject } from './objects/server.js';
import type { DeviceContext, SimulatedObject } from './objects/simulated-object.js';
import { softwareObject } from './objects/software.js';
import { resolveOptions, type ResolvedOptions, type SimulatedDeviceOptions } from './options.js';
import { belowRoot } from './paths.js';
import { RegistrationClient, type RegisterResult } from './registration-client.js';
import type { UpdateParameters } from './registration-messages.js';
import { Scheduler } from '../common/scheduler.js';
import { answerTextOnly } from './text-only.js';

export interface BootstrapOutcome {
  /** The Bootstrap Server's answer to `POST /bs?ep=`. */
  requestCode: string;
  /** What the device answered to Bootstrap-Finish (absent when the request was refused). */
  finishCode?: string;
  /** Security and Server instances when the outcome was decided. */
  configuration: AccountConfiguration;
}

export interface BootstrapOptions {
  /** How long to wait for Bootstrap-Finish after the request was accepted (default 10000 ms). */
  timeoutMs?: number;
  /** Raw query parameters appended to the Bootstrap-Request. */
  extraQuery?: string[];
}

/** A simulated LwM2M client on its own UDP port; see index.ts for the API tour. */
export class SimulatedDevice extends EventEmitter {
  readonly endpoint: string;
  /** Switches that change how the device answers; change them at any time. */
  readonly quirks: Quirks;
  /** Every request the device received and handled, oldest first (dropped datagrams are only counted). */
  readonly requests: ReceivedRequest[] = [];
  private droppedDatagrams = 0;
  private readonly options: ResolvedOptions;
  private readonly timers = new Scheduler();
  private readonly downloads: PackageDownloads;
  private readonly faults: FaultSwitches;
  private readonly objects: ReadonlyMap<number, SimulatedObject>;
  private readonly store: ObjectStore;
  private readonly factorySnapshot: ObjectStore;
  private readonly management: DeviceManagement;
  private readonly bootstrapOperations: BootstrapOperations;
  private readonly observing: Observations;
  private coap!: CoapEndpoint;
  private readonly registrationClient: RegistrationClient;
  private asleep = false;
  private rebooting = false;
  private bootstrapSession?: { finished: (code: string) => void };

  private constructor(options: SimulatedDeviceOptions) {
    super();
    this.options = resolveOptions(options);
    this.endpoint = options.endpoint;
    this.quirks = this.options.quirks;
    this.faults = new FaultSwitches(this.options.rootPath);
    this.downloads = new PackageDownloads(this.timers, () => this.options.timing.downloadMs, (event) => this.emit('download', event));
    const behaviours = [deviceObject(), connectivityObject(), firmwareObject(), softwareObject(), deviceCapabilityObject(), eventLogObject(), serverObject()];
    this.objects = new Map(behaviours.map((object) => [object.id, object]));
    this.store = new ObjectStore();
    const context = this.context();
    loadFactoryState(this.store, this.options, this.objects, context);
    this.factorySnapshot = this.store.clone();
    const attributes = new NotificationAttributes(() => this.observing.attributesChanged());
    this.observing = new Observations({
      timers: this.timers,
      attributes,
      read: (path, accept) => this.manage({ method: 'GET', path, query: [], accept, payload: Buffer.alloc(0) }),
      observed: (path) => this.emit('observed', path),
      cancelled: (path, how) => this.emit('observe-cancelled', path, how),
      notified: (path, payload, sequence) => this.emit('notified', path, payload, sequence),
    });
    this.store.onChange(() => this.observing.changed());
    this.registrationClient = new RegistrationClient(this.store, this.options, (request) => this.toServer(request));
    const host = {
      store: this.store,
      objects: this.objects,
      context,
      attributes,
      version: this.options.version,
      rootSegments: this.options.rootPath.split('/').filter((segment) => segment !== ''),
      policy: () => this.formatPolicy(),
      instancesChanged: () => this.instancesChanged(),
    };
    this.management = new DeviceManagement(host);
    this.bootstrapOperations = new BootstrapOperations({
      ...host,
      management: this.management,
      forcedFinishAnswer: () => this.quirks.finishAnswer,
      finished: (code) => this.bootstrapSession?.finished(code),
    });
  }

  static async start(options: SimulatedDeviceOptions): Promise<SimulatedDevice> {
    const device = new SimulatedDevice(options);
    device.coap = await CoapEndpoint.open(
      device.options.family,
      (request) => device.handle(request),
      () => device.dropsIncoming(),
    );
    return device;
  }

  /** The device's UDP address (the proxy must answer and send downlink requests to it). */
  address(): { address: string; port: number } {
    const { address, port } = this.coap.address();
    return { address, port };
  }

  /** Location-Path of the current registration (`/rd/…`), if registered. */
  get location(): string | undefined {
    return this.registrationClient.location;
  }

  /** Incoming request datagrams lost on purpose (silent, asleep, rebooting, dropRequests). */
  get droppedRequests(): number {
    return this.droppedDatagrams;
  }

  /** Register (`POST /rd?ep=…`) with the server of the device's server account; keeps the location on 2.01. */
  async register(): Promise<RegisterResult> {
    this.observing.endAll('registration');
    const result = await this.registrationClient.register();
    if (result.location) this.emit('registered', result.location);
    return result;
  }

  /** Registration Update (`POST /<location>`) with the given parameters; `objects: true` sends the current object list. */
  update(parameters: UpdateParameters = {}): Promise<ServerAnswer> {
    return this.registrationClient.update(parameters);
  }

  /** De-register (`DELETE /<location>`); forgets the location on 2.02. */
  deregister(): Promise<ServerAnswer> {
    this.observing.endAll('deregister');
    return this.registrationClient.deregister();
  }

  /**
   * Bootstrap-Request (`POST /bs?ep=…[&pct=…]`) to `server`, then answers the Bootstrap Server until it
   * sends Bootstrap-Finish. Resolves with the outcome; rejects with SimTimeoutError when no Finish comes.
   * After a Finish answered 4.06 the device keeps answering the Bootstrap Server (which should clean up).
   */
  async bootstrap(server: CoapAddress, options: BootstrapOptions = {}): Promise<BootstrapOutcome> {
    const accountId = this.store.instanceIds(0).find((id) => isBootstrapAccount(this.store, id));
    if (accountId !== undefined) this.store.set(0, accountId, 0, coapUri(server));
    const finished = new Promise<string>((resolve) => {
      // set before the request: the Bootstrap Server may write before its 2.04 reaches us
      this.bootstrapSession = {
        finished: (code) => {
          if (code === '2.04') this.bootstrapSession = undefined;
          resolve(code);
        },
      };
    });
    const query = [`ep=${this.endpoint}`, ...this.preferredFormatQuery(), ...(options.extraQuery ?? [])];
    try {
      const requestCode = (await this.toServer({ ...server, method: 'POST', path: ['bs'], query })).code;
      if (requestCode !== '2.04') {
        this.bootstrapSession = undefined;
        return { requestCode, configuration: this.configuration() };
      }
      const finishCode = await this.waitUntil<string>(options.timeoutMs ?? 10000, 'Bootstrap-Finish', (done) => void finished.then(done));
      return { requestCode, finishCode, configuration: this.configuration() };
    } catch (error) {
      this.bootstrapSession = undefined;
      throw error;
    }
  }

  /**
   * LwM2M Send (`POST /dp`, 1.1+) of the current values at `paths` (resources or instances: `['/3/0/9', '/20/0']`) to
   * the server the device is registered with, in SenML CBOR unless `contentFormat` says SenML JSON (110). `payload`
   * sends those bytes instead (hostile tests). Resolves with the server's answer.
   */
  send(paths: string[], options: { contentFormat?: number; payload?: Buffer } = {}): Promise<ServerAnswer> {
    const contentFormat = options.contentFormat ?? ContentFormat.SENML_CBOR;
    const values = paths.flatMap((path) => {
      const parsed = parsePath(path);
      if (!parsed || parsed.length < 2) throw new Error(`simulated device: '${path}' is not an instance or resource path`);
      return this.store.valuesAt(parsed);
    });
    return this.registrationClient.report(contentFormat, options.payload ?? encodeContent(contentFormat, values, [], resourceType));
  }

  /** The Security and Server instances the device holds now. */
  configuration(): AccountConfiguration {
    return readAccounts(this.store);
  }

  /** A resource's current content (`/5/0/3`); a multiple resource is a Map of its instances. */
  value(path: string): ResourceContent | undefined {
    const [objectId, instanceId, resourceId] = this.resourcePath(path);
    return this.store.get(objectId, instanceId, resourceId);
  }

  /** Changes a resource as the device itself would (a sensor reading, a battery draining). */
  setValue(path: string, content: ResourceContent): void {
    const [objectId, instanceId, resourceId] = this.resourcePath(path);
    if (!this.store.set(objectId, instanceId, resourceId, content)) throw new Error(`simulated device: no instance for ${path}`);
  }

  /** Object instances the device has now, e.g. `['/1/0', '/3/0', '/9/0', '/9/1']` (Security excluded). */
  instances(): string[] {
    return this.store.objectIds().filter((id) => id !== 0).flatMap((objectId) => this.store.instanceIds(objectId).map((instanceId) => `/${objectId}/${instanceId}`));
  }

  /** The next `times` requests matching `match` (default 1) get `code` (and the optional payload) instead of the real answer. */
  answerWith(match: RequestMatch, code: string, options?: ForcedAnswerOptions): void {
    this.faults.forceAnswer(match, code, options);
  }

  /** The next `datagrams` incoming request datagrams are lost (retransmissions count: 1 drop = the first try only). */
  dropRequests(datagrams: number): void {
    this.faults.dropNext(datagrams);
  }

  /** Removes all answerWith rules and pending drops. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Queue mode: stop receiving (every request datagram is lost) until wake(). */
  sleep(): void {
    this.asleep = true;
    this.observing.hold();
  }

  /**
   * Back online: answers again and sends a Registration Update, the signal for the server to send what it queued;
   * once that is answered (or failed), each observation sends the notification that became due while asleep.
   */
  async wake(): Promise<ServerAnswer> {
    this.asleep = false;
    try {
      return await this.update();
    } finally {
      this.observing.release();
    }
  }

  /** The observations the device keeps now (path below the root, pmin / pmax in effect in seconds). */
  observations(): ObservationInfo[] {
    return this.observing.list();
  }

  /** Resolves with the next received request that matches (rejects with SimTimeoutError after `timeoutMs`, default 5000). */
  waitForRequest(match: RequestMatch, timeoutMs = 5000): Promise<ReceivedRequest> {
    const matches = requestMatcher(match, this.options.rootPath);
    return this.waitUntil<ReceivedRequest>(timeoutMs, 'matching request', (done) => {
      const listener = (request: ReceivedRequest): void => {
        if (matches(request)) done(request);
      };
      this.on('request', listener);
      return () => this.off('request', listener);
    });
  }

  /** Stops timers and closes the socket (pending register/update/bootstrap calls reject). */
  close(): void {
    this.emit('closed');
    this.observing.clear();
    this.downloads.cancelAll();
    this.timers.cancelAll();
    this.coap.close();
  }

  /**
   * Settles with what `arm` reports (arm returns its own clean-up); rejects with SimTimeoutError after
   * `timeoutMs`, or with an Error when the device is closed first.
   */
  private waitUntil<T>(timeoutMs: number, what: string, arm: (done: (value: T) => void) => (() => void) | void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let disarm: (() => void) | void;
      const settle = (outcome: () => void): void => {
        this.timers.cancel(timer);
        this.off('closed', onClose);
        disarm?.();
        outcome();
      };
      const onClose = (): void => settle(() => reject(new Error(`simulated device closed while waiting for ${what}`)));
      const timer = this.timers.after(timeoutMs, () => settle(() => reject(new SimTimeoutError(`no ${what} within ${timeoutMs} ms`))));
      this.once('closed', onClose);
      disarm = arm((value) => settle(() => resolve(value)));
    });
  }

  private handle(request: ReceivedRequest): DeviceAnswer {
    this.requests.push(request);
    this.emit('request', request);
    const answer = this.faults.take(request) ?? this.answer(request);
    this.emit('answered', request, answer);
    return answer;
  }

  private answer(request: ReceivedRequest): DeviceAnswer {
    if (this.bootstrapSession) return this.withQuirks(guarded(() => this.bootstrapOperations.handle(request)));
    const relative = belowRoot(request.path, this.options.rootPath);
    const path = relative === undefined ? undefined : parsePath(relative);
    if (!path) return { code: '4.04' };
    return this.observing.consider(request, path, this.manage({ ...request, path }));
  }

  /** A Device Management request as this device answers it, quirks included (observations read through here too). */
  private manage(request: DmRequest): DeviceAnswer {
    return this.withQuirks(guarded(() => (this.quirks.textOnly ? answerTextOnly(request, this.management) : this.management.handle(request))));
  }

  private withQuirks(answer: DeviceAnswer): DeviceAnswer {
    if (this.quirks.garbagePayload && answer.code === '2.05' && answer.contentFormat !== undefined) {
      return { ...answer, payload: undecodablePayload(answer.contentFormat) };
    }
    return answer;
  }

  private dropsIncoming(): boolean {
    const lost = this.quirks.silent || this.asleep || this.rebooting || this.faults.takeDrop();
    if (lost) this.droppedDatagrams++;
    return lost;
  }

  private formatPolicy(): FormatPolicy {
    return {
      supported: this.options.formats,
      multiValueDefault: defaultMultiValueFormat(this.options.version, this.options.preferredFormat),
      tlvForSingleResources: this.quirks.wakaamaStyle,
    };
  }

  private context(): DeviceContext {
    return {
      endpoint: this.endpoint,
      store: this.store,
      timers: this.timers,
      downloads: this.downloads,
      timing: this.options.timing,
      firmware: this.options.firmware,
      software: this.options.software,
      reboot: () => this.reboot(),
      factoryReset: () => {
        this.downloads.cancelAll();
        this.store.restore(this.factorySnapshot);
        this.reboot();
      },
      requestUpdate: () => this.updateSoon({}),
    };
  }

  /** Answers first, then is unreachable for `timing.rebootMs` (observations are gone), then registers again if it was registered. */
  private reboot(): void {
    this.rebooting = true;
    this.observing.endAll('registration');
    this.timers.after(this.options.timing.rebootMs, () => {
      this.rebooting = false;
      if (!this.registrationClient.registered) return void this.emit('rebooted');
      this.register().then(
        (result) => this.emit('rebooted', result),
        (error: unknown) => this.emit('rebooted', { code: 'error', error }),
      );
    });
  }

  private instancesChanged(): void {
    if (this.options.autoUpdate) this.updateSoon({ objects: true });
  }

  /** An Update sent after the current answer went out; failures only show at the server. */
  private updateSoon(parameters: UpdateParameters): void {
    this.timers.after(0, () => {
      if (this.registrationClient.registered && !this.asleep) this.update(parameters).catch(() => undefined);
    });
  }

  private preferredFormatQuery(): string[] {
    const { version, preferredFormat } = this.options;
    return preferredFormat === undefined || version === null || version === '1.0' ? [] : [`pct=${preferredFormat}`];
  }

  private resourcePath(path: string): [number, number, number] {
    const parsed = parsePath(path);
    if (!parsed || parsed.length !== 3) throw new Error(`simulated device: '${path}' is not a resource path`);
    return [parsed[0], parsed[1], parsed[2]];
  }

  private toServer(request: OutgoingRequest): Promise<ServerAnswer> {
    return this.coap.request(request, this.options.requestTimeoutMs);
  }
}

/** seed 000: an operation that fails for a reason no other code describes answers 5.00. */
function guarded(operate: () => DeviceAnswer): DeviceAnswer {
  try {
    return operate();
  } catch (error) {
    return { code: '5.00', payload: Buffer.from(error instanceof Error ? error.message : String(error)) };
  }
}
