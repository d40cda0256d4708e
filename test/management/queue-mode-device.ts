import { setTimeout as sleep } from 'node:timers/promises';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { eventually } from '../lwm2m/helpers.js';
import type { ManagedDevice } from './managed-devices.js';

/** A queue-mode device counts as reachable this long after its last message: short, so the tests see it fall asleep. */
export const AWAKE_MS = 300;
/** Deadlines far beyond anything a loaded machine adds, so only the device's state decides the outcome. */
export const PATIENT = { 'X-M2M-RET': '30000' };
export const UPPER_BOUND_MS = 30_000;
/** RFC 7252 timing, not the tests' fast one: a device slowed by a loaded machine must not look silent. */
export const PATIENT_COAP = { COAP_ACK_TIMEOUT_MS: '2000', COAP_MAX_RETRANSMIT: '4' };

/**
 * A queue-mode device seen from the test: `contact` notes when the proxy last heard from it at the latest (its
 * Register, Update or an answer reached the proxy before the test saw that exchange finish).
 */
export class QueueModeDevice {
  private lastContact = Date.now();

  constructor(readonly managed: ManagedDevice) {}

  async contact<T>(exchange: Promise<T>): Promise<T> {
    const result = await exchange;
    this.lastContact = Date.now();
    return result;
  }

  /** The device sleeps, and the proxy's awake window since the device's last message has certainly passed. */
  async fallAsleep(): Promise<void> {
    this.managed.device.sleep();
    for (let left = this.lastContact + AWAKE_MS - Date.now(); left >= 0; left = this.lastContact + AWAKE_MS - Date.now()) await sleep(left + 1);
  }
}

/** Waits until the proxy reports `count` requests waiting for their device (lwm2m_queued_requests). */
export async function queued(proxy: TestProxy, count: number): Promise<void> {
  await eventually(async () => {
    const metrics = await (await fetch(proxy.url('/metrics'))).text();
    return Number(/^lwm2m_queued_requests (\d+)$/m.exec(metrics)?.[1]) === count ? true : undefined;
  }, UPPER_BOUND_MS);
}
