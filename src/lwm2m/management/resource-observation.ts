import type { DeviceCallContext } from '../../core/device-adapter.js';
import type { CoapResult, DownlinkObservation } from '../downlink.js';
import { ContentFormat } from '../formats/index.js';
import type { ResourceValue } from '../formats/model.js';
import { describeStep, type Exchange } from './device-channel.js';
import { DeviceStepError } from './errors.js';
import type { ManagementContext } from './management-context.js';
import { decodeAnswer } from './negotiated-exchange.js';
import type { InstanceRef } from './object-path.js';
import type { ObserveMetrics } from './observe-metrics.js';

/** Write-Attributes sent before observing (seconds). */
export interface NotificationPeriods {
  pmin: number;
  pmax: number;
}

/** What an Observe of one resource gave: its value when the device answered 2.05, else the code. */
export interface ObservedResource {
  resourceId: number;
  code: string;
  values: ResourceValue[];
  /** Set while the device holds the observation. */
  observation?: DownlinkObservation;
}

/** A notification decoded (values), or the device ending the observation (`ended`, a non-2.xx code or an undecodable payload). */
export type ResourceNotification = { resourceId: number; values: ResourceValue[] } | { resourceId: number; ended: string };

function decodeNotification(io: ManagementContext, instance: InstanceRef, resourceId: number, notification: CoapResult): ResourceNotification {
  if (!notification.code.startsWith('2.')) return { resourceId, ended: `the device ended the observation with ${notification.code}` };
  const path = [instance.objectId, instance.instanceId, resourceId];
  try {
    const exchange = { ...notification, client: undefined as never };
    return { resourceId, values: decodeAnswer(io, { exchange, format: notification.contentFormat ?? ContentFormat.TEXT }, path) };
  } catch (error) {
    return { resourceId, ended: (error as Error).message };
  }
}

/** The values of an answer; none when it does not decode (lwm2m-node-lib answers an unknown resource 2.05 and empty). */
function decodedOrNone(io: ManagementContext, answer: Exchange, path: number[]): ResourceValue[] {
  try {
    return decodeAnswer(io, { exchange: answer, format: ContentFormat.TEXT }, path);
  } catch (error) {
    if (error instanceof DeviceStepError) return [];
    throw error;
  }
}

/**
 * In one slot of the endpoint's queue: per resource, Write-Attributes (`PUT ?pmin=&pmax=`, its refusal only leaves the
 * device's own periods) then GET with Observe=0 in plain text. The first answers carry the current values; later
 * notifications go to `onNotification`. Throws DeviceStepError for transport outcomes (observations already made are
 * let go first).
 */
export async function observeResources(
  io: ManagementContext,
  metrics: ObserveMetrics,
  endpoint: string,
  instance: InstanceRef,
  resourceIds: readonly number[],
  periods: NotificationPeriods,
  ctx: DeviceCallContext,
  onNotification: (notification: ResourceNotification) => void,
): Promise<ObservedResource[]> {
  const base = [instance.objectId, instance.instanceId];
  return io.channel.inSlot(endpoint, 'observe', describeStep('observe', base), ctx, async (slot) => {
    const observed: ObservedResource[] = [];
    try {
      for (const resourceId of resourceIds) {
        const path = [...base, resourceId].map(String);
        await slot.exchange(endpoint, 'write-attributes', { method: 'PUT', path, query: [`pmin=${periods.pmin}`, `pmax=${periods.pmax}`] }, ctx);
        const answer = await slot.observe(endpoint, { method: 'GET', path, accept: ContentFormat.TEXT }, ctx, (notification) => {
          metrics.notified();
          onNotification(decodeNotification(io, instance, resourceId, notification));
        });
        const entry: ObservedResource = { resourceId, code: answer.code, values: [] };
        if (answer.observation) {
          metrics.active(1);
          entry.observation = answer.observation;
        }
        observed.push(entry);
        if (answer.code === '2.05') entry.values = decodedOrNone(io, answer, [...base, resourceId]);
      }
      return observed;
    } catch (error) {
      forgetObservations(metrics, observed);
      throw error;
    }
  });
}

/** Stops listening: a later notification gets RST (what the device sees when it is gone or comes back registered anew). */
export function forgetObservations(metrics: ObserveMetrics, observed: ObservedResource[]): void {
  for (const entry of observed) {
    if (!entry.observation) continue;
    entry.observation.forget();
    delete entry.observation;
    metrics.active(-1);
  }
}

/**
 * LwM2M Cancel Observation: lets go locally, then sends GET with Observe=1 and each observation's token through the
 * endpoint's queue. A device that cannot be reached before `ctx`'s deadline gets RST on its next notification instead.
 */
export async function cancelObservations(
  io: ManagementContext,
  metrics: ObserveMetrics,
  endpoint: string,
  instance: InstanceRef,
  observed: ObservedResource[],
  ctx: DeviceCallContext,
): Promise<void> {
  const tokens = observed.flatMap((entry) => (entry.observation ? [{ resourceId: entry.resourceId, token: entry.observation.token }] : []));
  forgetObservations(metrics, observed);
  if (tokens.length === 0) return;
  const base = [instance.objectId, instance.instanceId];
  await io.channel
    .inSlot(endpoint, 'observe', describeStep('observe', base), ctx, async (slot) => {
      for (const { resourceId, token } of tokens) {
        await slot.exchange(endpoint, 'observe', { method: 'GET', path: [...base, resourceId].map(String), accept: ContentFormat.TEXT, observe: 1, token }, ctx);
      }
    })
    .catch((error: unknown) => {
      if (!(error instanceof DeviceStepError)) throw error;
    });
}
