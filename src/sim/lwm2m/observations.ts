import type { LongTimer } from '../../core/long-timer.js';
import { ContentFormat } from '../../lwm2m/formats/index.js';
import type { Lwm2mPath } from '../../lwm2m/formats/model.js';
import { formatPath } from '../../lwm2m/formats/path.js';
import type { DeviceAnswer, ReceivedRequest } from './coap-endpoint.js';
import type { NotificationAttributes, NotificationPeriods } from './notification-attributes.js';
import type { ChannelEnd, ObserveChannel } from './observe-channel.js';
import type { Scheduler } from '../common/scheduler.js';

/**
 * Why an observation ended: `rst` a Reset answered a notification, `observe-1` a GET with Observe=1 on the
 * path, `replaced` a new Observe of the same path by the same peer, `deregister` / `registration` the device
 * de-registered / registered anew, `timeout` a confirmable notification was never acknowledged, `error`
 * the path could no longer be read (that error code was the last message).
 */
export type ObserveCancel = ChannelEnd | 'deregister' | 'observe-1' | 'replaced' | 'registration' | 'error';

/** An active observation as `device.observations()` lists it; pmin / pmax (seconds) are the ones in effect, inherited ones included. */
export interface ObservationInfo extends NotificationPeriods {
  path: string;
}

export interface ObservationsHost {
  readonly timers: Scheduler;
  readonly attributes: NotificationAttributes;
  /** A Read of `path` as the observer asked for it (same Accept), with the device's quirks applied. */
  read(path: Lwm2mPath, accept: number | undefined): DeviceAnswer;
  observed(path: string): void;
  cancelled(path: string, how: ObserveCancel): void;
  notified(path: string, payload: Buffer, sequence: number): void;
}

interface Observation {
  key: string;
  path: Lwm2mPath;
  name: string;
  accept?: number;
  channel: ObserveChannel;
  lastSentAt: number;
  lastPayload: Buffer;
  /** Due while notifications were held (the device asleep): goes out on release(). */
  held: boolean;
  pminTimer?: LongTimer;
  pmaxTimer?: LongTimer;
}

/**
 * The device's observations, one per peer and path. After any change to the device's data the observed
 * paths are read again (once per turn of the event loop) and a notification goes out where the answer
 * differs from the last one sent, no sooner than `pmin` seconds after it (a change inside pmin goes out when
 * pmin has passed); `pmax` sends the current value when nothing went out for that long. While held (queue
 * mode, asleep) nothing is sent; release() sends what became due meanwhile, the latest value per observation.
 */
export class Observations {
  private readonly active = new Map<string, Observation>();
  private holding = false;
  private checkScheduled = false;
  private reading = false;

  constructor(private readonly host: ObservationsHost) {}

  /** The Observe part of a Read: Observe=1 cancels the peer's observation of the path; a 2.05 to Observe=0 starts one. */
  consider(request: ReceivedRequest, path: Lwm2mPath, answer: DeviceAnswer): DeviceAnswer {
    if (request.method !== 'GET' || request.observe === undefined || request.accept === ContentFormat.LINK_FORMAT) return answer;
    const key = `${request.from.address}|${request.from.port}|${formatPath(path)}`;
    if (request.observe === 1) this.end(key, 'observe-1');
    if (request.observe !== 0 || answer.code !== '2.05') return answer;
    const first = answer.payload ?? Buffer.alloc(0);
    return { ...answer, observe: (channel) => this.add({ key, path, name: formatPath(path), accept: request.accept, channel, lastSentAt: Date.now(), lastPayload: first, held: false }) };
  }

  list(): ObservationInfo[] {
    return [...this.active.values()].map((observation) => {
      const { pmin, pmax } = this.host.attributes.periods(observation.path);
      return { path: observation.name, ...(pmin === undefined ? {} : { pmin }), ...(pmax === undefined ? {} : { pmax }) };
    });
  }

  /** The device's data changed: compare each observed path once this turn's changes are done. */
  changed(): void {
    if (this.reading || this.checkScheduled || this.active.size === 0) return;
    this.checkScheduled = true;
    this.host.timers.after(0, () => {
      this.checkScheduled = false;
      for (const observation of [...this.active.values()]) {
        const answer = this.read(observation);
        if (answer.code !== '2.05' || !(answer.payload ?? Buffer.alloc(0)).equals(observation.lastPayload)) this.due(observation, answer);
      }
    });
  }

  /** Write-Attributes changed pmin / pmax somewhere: the pmax timers follow. */
  attributesChanged(): void {
    for (const observation of this.active.values()) this.armPmax(observation);
  }

  /** Queue mode: nothing goes out until release(). */
  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const observation of [...this.active.values()]) {
      if (!observation.held) continue;
      observation.held = false;
      this.send(observation, this.read(observation));
    }
  }

  /** Ends every observation, reporting `how`. */
  endAll(how: ObserveCancel): void {
    for (const key of [...this.active.keys()]) this.end(key, how);
  }

  /** The device closes: ends every observation without a word. */
  clear(): void {
    for (const observation of [...this.active.values()]) {
      this.forget(observation);
      observation.channel.close();
    }
  }

  private add(observation: Observation): void {
    this.end(observation.key, 'replaced');
    this.active.set(observation.key, observation);
    observation.channel.onEnd((how) => this.remove(observation, how));
    this.host.observed(observation.name);
    this.armPmax(observation);
  }

  private end(key: string, how: ObserveCancel): void {
    const observation = this.active.get(key);
    if (!observation) return;
    observation.channel.close();
    this.remove(observation, how);
  }

  private remove(observation: Observation, how: ObserveCancel): void {
    if (this.active.get(observation.key) !== observation) return;
    this.forget(observation);
    this.host.cancelled(observation.name, how);
  }

  private forget(observation: Observation): void {
    this.host.timers.cancel(observation.pminTimer);
    this.host.timers.cancel(observation.pmaxTimer);
    this.active.delete(observation.key);
  }

  /** A change to report: now, or when pmin has passed since the last notification. */
  private due(observation: Observation, answer: DeviceAnswer): void {
    const wait = observation.lastSentAt + this.pminMs(observation) - Date.now();
    if (wait <= 0) return this.send(observation, answer);
    observation.pminTimer ??= this.host.timers.after(wait, () => {
      observation.pminTimer = undefined;
      const current = this.read(observation);
      if (current.code !== '2.05' || !(current.payload ?? Buffer.alloc(0)).equals(observation.lastPayload)) this.send(observation, current);
    });
  }

  private send(observation: Observation, answer: DeviceAnswer): void {
    if (this.holding) {
      observation.held = true;
      return;
    }
    if (answer.code !== '2.05') {
      observation.channel.finish(answer);
      return this.remove(observation, 'error');
    }
    const payload = answer.payload ?? Buffer.alloc(0);
    const sequence = observation.channel.notify(payload);
    if (sequence === undefined) return this.remove(observation, 'error');
    observation.lastSentAt = Date.now();
    observation.lastPayload = payload;
    this.host.timers.cancel(observation.pminTimer);
    observation.pminTimer = undefined;
    this.armPmax(observation);
    this.host.notified(observation.name, payload, sequence);
  }

  private armPmax(observation: Observation): void {
    this.host.timers.cancel(observation.pmaxTimer);
    observation.pmaxTimer = undefined;
    const { pmax } = this.host.attributes.periods(observation.path);
    if (pmax === undefined) return;
    observation.pmaxTimer = this.host.timers.after(observation.lastSentAt + pmax * 1000 - Date.now(), () => {
      observation.pmaxTimer = undefined;
      this.send(observation, this.read(observation));
    });
  }

  private pminMs(observation: Observation): number {
    return (this.host.attributes.periods(observation.path).pmin ?? 0) * 1000;
  }

  private read(observation: Observation): DeviceAnswer {
    this.reading = true; // a Read refreshes live values (Current Time); that is no change to report
    try {
      return this.host.read(observation.path, observation.accept);
    } catch (error) {
      return { code: '5.00', payload: Buffer.from(error instanceof Error ? error.message : String(error)) };
    } finally {
      this.reading = false;
    }
  }
}
