import type { RunningOmadm } from '../../../src/omadm/index.js';
import { type Dm2DeviceOptions, type Dm2SessionOutcome, SimulatedDm2Device } from '../../../src/sim/omadm2/index.js';
import { eventually } from '../../lwm2m/helpers.js';
import { type OneM2MAnswer, oneM2M } from '../../management/managed-devices.js';
import type { TestProxy } from '../../helpers/proxy-harness.js';
import { proxyWithOmadm } from '../server/dm-test-kit.js';
import { SECRET, USER, dm2Url, enrol2 } from './dm2-test-kit.js';

export const UPPER_BOUND_MS = 20_000;
export const PATIENT = { 'X-M2M-RET': '30000' };
export const CREATE = { 'Content-Type': 'application/json;ty=13', ...PATIENT };

/** A proxy, a DM 2.0 device and their seams, after the device's first session (its node and mgmtObjs exist). */
export interface ManagedDm2Device {
  proxy: TestProxy;
  omadm: RunningOmadm;
  sim: SimulatedDm2Device;
  /** `/proxy/<DevId>`. */
  node: string;
  devId: string;
}

/** A DM 2.0 simulator enrolled at `proxy` (Basic unless told), closed when the test ends. */
export async function dm2Device(t: { after(fn: () => unknown): void }, proxy: TestProxy, devId: string, options: Partial<Dm2DeviceOptions> = {}): Promise<SimulatedDm2Device> {
  await enrol2(proxy, devId, options.auth ?? 'basic');
  const sim = new SimulatedDm2Device({ devId, server: dm2Url(proxy), user: USER, secret: SECRET, ...options });
  t.after(() => sim.close());
  return sim;
}

/** A proxy and a DM 2.0 device that has had its first session. */
export async function managedDm2Device(
  t: { after(fn: () => unknown): void },
  devId: string,
  options: Partial<Dm2DeviceOptions> = {},
  env: Record<string, string> = {},
): Promise<ManagedDm2Device> {
  const { proxy, omadm } = await proxyWithOmadm(env);
  t.after(() => proxy.stop(true));
  const sim = await dm2Device(t, proxy, devId, options);
  const first = await sim.openSession();
  if (first.result !== 'completed') throw new Error(`first session: ${first.result} ${first.reason ?? ''}`);
  return { proxy, omadm, sim, node: `/proxy/${devId}`, devId };
}

/** Resolves once `count` commands are queued for the device. */
export function queued(dm: Pick<ManagedDm2Device, 'omadm' | 'devId'>, count = 1): Promise<unknown> {
  return eventually(async () => ((await dm.omadm.dm2Queue.waiting(dm.devId)).length >= count ? true : undefined), UPPER_BOUND_MS, `${count} DM 2.0 command(s) queued`);
}

/** Waits until `count` commands are queued for the device, then lets it open a session. */
export async function sessionOnceQueued(dm: Pick<ManagedDm2Device, 'omadm' | 'sim' | 'devId'>, count = 1): Promise<Dm2SessionOutcome> {
  await queued(dm, count);
  return dm.sim.openSession();
}

/** A oneM2M request whose answer needs the device's next session: the session opens once its commands are queued. */
export async function throughSession(dm: ManagedDm2Device, request: () => Promise<OneM2MAnswer>, count = 1): Promise<OneM2MAnswer> {
  const answer = request();
  // An answer before anything was queued (the proxy refused the request itself) fails at once, showing why.
  const early = answer.then((given): never => {
    throw new Error(`answered ${given.rsc} before ${count} DM 2.0 command(s) were queued: ${given.dbg ?? JSON.stringify(given.body)}`);
  });
  early.catch(() => undefined);
  await Promise.race([queued(dm, count), early]);
  const session = await dm.sim.openSession();
  if (session.result !== 'completed') throw new Error(`session: ${session.result} ${session.reason ?? ''}`);
  return answer;
}

/** The commands the device carried out since event `from` (`GET urn:...`; END left out), in order. */
export function commandsSince(sim: SimulatedDm2Device, from: number): string[] {
  return sim.events.slice(from).filter((event) => event.event === 'command' && event.cmd !== 'END').map((event) => `${event.cmd} ${event.uri ?? ''}`.trim());
}

/** The device delivered a Generic Alert after event `from`, and the session that brought it ended. */
export async function alertDelivered(sim: SimulatedDm2Device, from: number): Promise<void> {
  const delivered = await sim.waitFor((event) => event.event === 'generic-alert-delivered' && sim.events.indexOf(event) >= from, UPPER_BOUND_MS);
  await sim.waitFor((event) => event.event === 'session-ended' && sim.events.indexOf(event) > sim.events.indexOf(delivered), UPPER_BOUND_MS);
}

export { oneM2M };
