import type { DeviceCallContext } from '../../core/device-adapter.js';
import { ContentFormat, encodeContent } from '../formats/index.js';
import type { Lwm2mPath } from '../formats/model.js';
import { describeStep } from './device-channel.js';
import type { ManagementContext } from './management-context.js';
import { afterSilentProbe, exchangeInFormats, expectCode, mayBeTextOnlyClient } from './negotiated-exchange.js';
import type { InstanceRef } from './object-path.js';
import type { ExecuteStep, UpdateProgress, WriteStep } from './update-plan.js';

/** Write of one resource: `PUT /oid/iid/rid` in plain text, which every client supports. */
async function putResource(io: ManagementContext, endpoint: string, instance: InstanceRef, write: WriteStep, ctx: DeviceCallContext): Promise<string> {
  const path = [instance.objectId, instance.instanceId, write.resourceId];
  const payload = encodeContent(ContentFormat.TEXT, [{ path, value: write.value }], path, io.types);
  const exchange = await io.channel.exchange(endpoint, 'write', { method: 'PUT', path: path.map(String), contentFormat: ContentFormat.TEXT, payload }, ctx);
  expectCode(exchange, '2.04', 'write', path);
  return describeStep('write', path);
}

function acknowledged(progress: UpdateProgress, step: string, writes: readonly WriteStep[]): void {
  progress.steps.push(step);
  progress.written.push(...writes.map((write) => write.attribute));
}

async function putEach(io: ManagementContext, endpoint: string, instance: InstanceRef, writes: readonly WriteStep[], ctx: DeviceCallContext, progress: UpdateProgress): Promise<void> {
  for (const write of writes) acknowledged(progress, await putResource(io, endpoint, instance, write, ctx), [write]);
}

/**
 * Writes the planned values: one resource → PUT on it; several → one partial-update POST on the instance in the
 * endpoint's multi-value format (4.06 / 4.15 → next format). A client that never answered a multi-value request and
 * times out on one gets the values resource by resource in plain text, and is remembered as text-only.
 * Every acknowledged step and the attributes it wrote are added to `progress`.
 */
export async function writeValues(
  io: ManagementContext,
  endpoint: string,
  instance: InstanceRef,
  writes: readonly WriteStep[],
  ctx: DeviceCallContext,
  progress: UpdateProgress,
): Promise<void> {
  const path: Lwm2mPath = [instance.objectId, instance.instanceId];
  const client = io.channel.client(endpoint, 'write', describeStep('write', path));
  const formats = io.formats.multiValueFormats(client);
  if (writes.length <= 1 || formats.length === 0) return putEach(io, endpoint, instance, writes, ctx, progress);
  const values = writes.map((write) => ({ path: [...path, write.resourceId], value: write.value }));
  try {
    const found = await exchangeInFormats(
      io,
      endpoint,
      'write',
      formats,
      (contentFormat) => ({ method: 'POST', path: path.map(String), contentFormat, payload: encodeContent(contentFormat, values, path, io.types) }),
      ctx,
    );
    expectCode(found.exchange, '2.04', 'write', path);
    io.formats.remember(endpoint, found.format);
    acknowledged(progress, describeStep('write', path), writes);
    return;
  } catch (error) {
    if (!mayBeTextOnlyClient(io, endpoint, error)) throw error;
    await afterSilentProbe(error, () => putEach(io, endpoint, instance, writes, ctx, progress));
    io.formats.remember(endpoint, 'text');
  }
}

/** Execute: `POST /oid/iid/rid` without arguments. */
export async function executeResource(io: ManagementContext, endpoint: string, instance: InstanceRef, step: ExecuteStep, ctx: DeviceCallContext): Promise<string> {
  const path = [instance.objectId, instance.instanceId, step.resourceId];
  const exchange = await io.channel.exchange(endpoint, 'execute', { method: 'POST', path: path.map(String) }, ctx);
  expectCode(exchange, '2.04', 'execute', path);
  return describeStep('execute', path);
}
