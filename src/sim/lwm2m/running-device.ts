import { setLongTimeout, type LongTimer } from '../../core/long-timer.js';
import { coapUri, parseCoapUri, usableServerAccount, type CoapAddress } from './accounts.js';
import { SimTimeoutError } from './coap-endpoint.js';
import { reportDeviceActivity, simEvent, type SimEventSink } from './device-events.js';
import { DEFAULT_OBJECTS } from './options.js';
import { SimulatedDevice } from './simulated-device.js';

export interface RunningDeviceOptions {
  endpoint: string;
  /** The LwM2M Server of the factory account; ignored with `bootstrap`. */
  server: CoapAddress;
  /** Bootstrap first (the device then has no factory server account) and register where the Bootstrap Server says. */
  bootstrap?: CoapAddress;
  lifetime: number;
  queueMode: boolean;
  sink: SimEventSink;
  /** The device cannot go on: the server refused it (a 4.xx) or bootstrap failed. */
  onFatal(reason: string): void;
}

/** First retry after an unanswered Register or Bootstrap-Request; doubles up to the maximum. */
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 30_000;
const BOOTSTRAP_FINISH_WAIT_MS = 30_000;

/**
 * One simulated device as a user runs it: bootstrap (optional) and register, retrying while the server
 * does not answer; a Registration Update every half lifetime (a failed one registers anew); de-register
 * on stop(). Every step is reported to the sink.
 */
export class RunningDevice {
  private timer?: LongTimer;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;

  private constructor(
    private readonly device: SimulatedDevice,
    private readonly options: RunningDeviceOptions,
  ) {}

  static async start(options: RunningDeviceOptions): Promise<RunningDevice> {
    const device = await SimulatedDevice.start({
      endpoint: options.endpoint,
      server: options.server,
      objects: options.bootstrap ? DEFAULT_OBJECTS.filter((entry) => entry !== '/1/0') : DEFAULT_OBJECTS,
      lifetime: options.lifetime,
      queueMode: options.queueMode,
    });
    const running = new RunningDevice(device, options);
    reportDeviceActivity(device, options.sink);
    device.on('rebooted', (result?: { code: string; location?: string }) => running.rebooted(result));
    void running.connect();
    return running;
  }

  /** Stops retrying and updating, de-registers if registered (bounded by the request timeout), closes the socket. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.clear();
    if (this.device.location) {
      try {
        const answer = await this.device.deregister();
        this.report('deregistered', { code: answer.code });
      } catch (error) {
        this.report('deregister-failed', { reason: messageOf(error) });
      }
    }
    this.device.close();
  }

  private async connect(): Promise<void> {
    const { bootstrap } = this.options;
    try {
      if (bootstrap && !usableServerAccount(this.device.configuration())) {
        const outcome = await this.device.bootstrap(bootstrap, { timeoutMs: BOOTSTRAP_FINISH_WAIT_MS });
        if (outcome.requestCode !== '2.04') return this.fatal('bootstrap-refused', `the Bootstrap Server at ${coapUri(bootstrap)} answered ${outcome.requestCode}`, { code: outcome.requestCode });
        if (outcome.finishCode !== '2.04') return this.fatal('bootstrap-failed', `Bootstrap-Finish answered ${outcome.finishCode}: no usable server account`, { code: outcome.finishCode });
        this.report('bootstrapped', { server: this.serverUri() });
      }
      const result = await this.device.register();
      if (result.code !== '2.01') return this.fatal('register-refused', `${this.serverUri()} refused the registration with ${result.code}`, { server: this.serverUri(), code: result.code });
      this.retryMs = FIRST_RETRY_MS;
      this.report('registered', { server: this.serverUri(), location: result.location, lifetime: this.options.lifetime });
      this.scheduleUpdate();
    } catch (error) {
      if (this.stopped) return;
      if (!(error instanceof SimTimeoutError)) return this.fatal('failed', messageOf(error));
      const server = bootstrap && !usableServerAccount(this.device.configuration()) ? coapUri(bootstrap) : this.serverUri();
      this.report('unreachable', { server, reason: error.message, retryInS: this.retryMs / 1000 });
      this.later(this.retryMs, () => void this.connect());
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    }
  }

  private scheduleUpdate(): void {
    this.later((this.options.lifetime * 1000) / 2, async () => {
      try {
        const answer = await this.device.update();
        if (answer.code === '2.04') {
          this.report('updated', { server: this.serverUri(), location: this.device.location });
          return this.scheduleUpdate();
        }
        this.report('registration-lost', { code: answer.code });
      } catch (error) {
        if (this.stopped) return;
        this.report('registration-lost', { reason: messageOf(error) });
      }
      void this.connect();
    });
  }

  private rebooted(result?: { code: string; location?: string }): void {
    this.report('rebooted', result ? { code: result.code, location: result.location } : {});
  }

  private later(ms: number, action: () => void): void {
    this.timer?.clear();
    if (!this.stopped) this.timer = setLongTimeout(action, ms);
  }

  private fatal(event: string, reason: string, details: Record<string, unknown> = {}): void {
    if (this.stopped) return;
    this.report(event, { ...details, reason });
    this.options.onFatal(`${this.options.endpoint}: ${reason}`);
  }

  /** The server the device registers with: what a Bootstrap Server wrote, else the factory account. */
  private serverUri(): string {
    const account = usableServerAccount(this.device.configuration());
    const address = parseCoapUri(account?.security.serverUri) ?? this.options.server;
    return coapUri(address);
  }

  private report(event: string, details: Record<string, unknown> = {}): void {
    this.options.sink(simEvent(this.options.endpoint, event, details));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
