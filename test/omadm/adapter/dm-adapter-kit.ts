import type { RunningOmadm } from '../../../src/omadm/index.js';
import type { SimulatedDmDevice } from '../../../src/sim/omadm/index.js';
import { eventually } from '../../lwm2m/helpers.js';
import { type OneM2MAnswer, oneM2M } from '../../management/managed-devices.js';
import type { TestProxy } from '../../helpers/proxy-harness.js';
import { device, enrol, proxyWithOmadm } from '../server/dm-test-kit.js';

export const UPPER_BOUND_MS = 20_000;
export const PATIENT = { 'X-M2M-RET': '30000' };

/** A proxy and a DM device that has had its first session (its node and mgmtObjs exist). */
export async function managedDmDevice(
  t: { after(fn: () => unknown): void },
  devId: string,
  options: Parameters<typeof device>[2] extends infer O ? Partial<O> : never = {},
  env: Record<string, string> = {},
) {
  const { proxy, omadm } = await proxyWithOmadm(env);
  t.after(() => proxy.stop(true));
  await enrol(proxy, devId);
  const sim = device(t, proxy, { devId, version: '1.3', ...options });
  const first = await sim.openSession();
  if (first.result !== 'completed') throw new Error(`first session: ${first.result} ${first.reason ?? ''}`);
  return { proxy, omadm, sim, node: `/proxy/${devId}` };
}

/** Waits until `count` commands are queued for the device, then lets it open a session. */
export async function sessionOnceQueued(omadm: RunningOmadm, sim: SimulatedDmDevice, devId: string, count = 1) {
  await eventually(async () => ((await omadm.commandQueue.waiting(devId)).length >= count ? true : undefined), UPPER_BOUND_MS, `${count} DM command(s) queued`);
  return sim.openSession();
}

/** A oneM2M request whose answer needs the device's next session: the session opens once its commands are queued. */
export async function throughSession(
  dm: { proxy: TestProxy; omadm: RunningOmadm; sim: SimulatedDmDevice },
  devId: string,
  request: () => Promise<OneM2MAnswer>,
): Promise<OneM2MAnswer> {
  const answer = request();
  const session = await sessionOnceQueued(dm.omadm, dm.sim, devId);
  if (session.result !== 'completed') throw new Error(`session: ${session.result} ${session.reason ?? ''}`);
  return answer;
}

export { oneM2M };
