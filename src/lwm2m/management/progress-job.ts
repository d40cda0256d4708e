import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef } from '../../core/device-adapter.js';
import type { MappingSet } from '../../mappings/types.js';
import type { InstanceRef } from './object-path.js';

/** What is followed after an Execute that starts long work; also the `resume` data the core keeps across a restart. */
export interface ProgressJob {
  kind: 'lwm2m-progress';
  /** The executable attribute that started the work (ud, in, un). */
  attribute: string;
  objectId: number;
  instanceId: number;
  /** The observed resources (the status attribute's). */
  resources: number[];
}

export interface ProgressFollower {
  /** Follows the work until it ends (final report) or ctx.signal aborts (the `timeout` report). */
  follow(table: MappingSet, device: DeviceRef, obj: MgmtObjRef, job: ProgressJob, ctx: DeviceCallContext): Promise<DeviceReport>;
}

export function progressJob(attribute: string, instance: InstanceRef, resources: readonly number[]): ProgressJob {
  return { kind: 'lwm2m-progress', attribute, objectId: instance.objectId, instanceId: instance.instanceId, resources: [...resources] };
}

const isId = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535;

/** Resume data as the core gives it back (JSON from the store): a ProgressJob, or undefined when it is none. */
export function parseProgressJob(data: unknown): ProgressJob | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const job = data as Partial<ProgressJob>;
  if (job.kind !== 'lwm2m-progress' || typeof job.attribute !== 'string' || !isId(job.objectId) || !isId(job.instanceId)) return undefined;
  if (!Array.isArray(job.resources) || job.resources.length === 0 || !job.resources.every(isId)) return undefined;
  return { kind: job.kind, attribute: job.attribute, objectId: job.objectId, instanceId: job.instanceId, resources: [...job.resources] };
}
