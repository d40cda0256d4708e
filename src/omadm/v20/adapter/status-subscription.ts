import type { DeviceCallContext } from '../../../core/device-adapter.js';
import type { OmadmAttributeMapping } from '../../../mappings/types.js';
import { actionStatusOf } from '../../common/action-status.js';
import { attributeFromNode } from '../../common/node-values.js';
import type { Dm2Command } from '../codec/index.js';
import type { RepositoryData } from '../repository/index.js';
import type { Dm2OperationDeps } from './adapter-deps.js';
import { moDataOf } from './hput-read.js';
import type { MoAddress } from './mo-address.js';
import { leavesOf } from './mo-data.js';

/** The SUBs keeping an EXEC's status attribute (uds, ins...) fresh while the device runs it, and how to end them. */
export interface StatusSubscription {
  subscribe: Dm2Command[];
  unsubscribe: Dm2Command[];
  /** Ends the subscription URI (the call is over): later reports get 410. */
  close(): void;
}

const bare = (uri: string) => uri.split('?')[0].replace(/\/$/, '');

/**
 * `SUB <status leaf> <subscription URI>` for each EXEC'd attribute whose status attribute has a leaf on the device
 * (firmware ud -> uds at FUMO State): every change the device PUTs to the URI is converted and given to `changed`.
 * Undefined when none has such a leaf, or the repository has no URI to spare (the subscription is a courtesy).
 */
export function statusSubscription(
  deps: Dm2OperationDeps,
  devId: string,
  address: MoAddress,
  executed: readonly string[],
  ctx: DeviceCallContext,
  changed: (attributes: Record<string, unknown>) => void,
): StatusSubscription | undefined {
  const leaves = new Map<string, OmadmAttributeMapping>();
  for (const exec of executed) {
    for (const name of Object.keys(actionStatusOf(exec, 0))) {
      const attribute = address.mapping.attributes.find((candidate) => candidate.attribute === name && candidate.access.includes('R') && !candidate.executable);
      const path = attribute && address.pathOf(attribute);
      if (attribute && path !== undefined) leaves.set(address.clientUri(path), attribute);
    }
  }
  if (leaves.size === 0) return undefined;
  const deliver = (data: RepositoryData) => {
    const attributes: Record<string, unknown> = {};
    for (const entry of moDataOf(data.body.toString('utf8')) ?? []) {
      const attribute = [...leaves].find(([uri]) => bare(uri) === bare(entry.clientUri))?.[1];
      const text = attribute && leavesOf(entry.moData).get('');
      const value = attribute && text !== undefined ? attributeFromNode(deps.converters, attribute, text) : undefined;
      if (attribute && value && 'value' in value) attributes[attribute.attribute] = value.value;
    }
    if (Object.keys(attributes).length > 0) changed(attributes);
    else deps.logger.debug({ devId }, 'DM 2.0 subscription report without a status value the proxy can use');
  };
  let url: string;
  try {
    url = deps.repository.subscribe(devId, deliver, Math.max(0, ctx.deadline - Date.now()) + deps.repositoryTtlMs);
  } catch {
    return undefined;
  }
  return {
    subscribe: [...leaves.keys()].map((uri): Dm2Command => ['SUB', uri, url]),
    unsubscribe: [...leaves.keys()].map((uri): Dm2Command => ['UNSUB', uri]),
    close: () => deps.repository.withdraw(url),
  };
}

/** Queues the UNSUBs (they go out in the session that is open, if any) without waiting for their answers. */
export function queueUnsubscribe(deps: Dm2OperationDeps, devId: string, subscription: StatusSubscription, ctx: DeviceCallContext, key: string): Promise<void> {
  return new Promise<void>((queued) => {
    deps.dispatch.send(devId, subscription.unsubscribe, ctx, key, () => queued()).then(
      (outcomes) => {
        queued();
        if (outcomes.some((outcome) => !('answer' in outcome) || outcome.answer.sc >= 300)) deps.logger.debug({ devId }, 'DM 2.0 UNSUB not confirmed');
      },
      (error: unknown) => {
        queued();
        deps.logger.warn({ err: error, devId }, 'queueing DM 2.0 UNSUB failed');
      },
    );
  });
}
