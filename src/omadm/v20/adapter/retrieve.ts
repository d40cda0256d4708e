import type { DeviceCallContext, DeviceRef, DeviceReport, LeftOutAttribute, MgmtObjRef } from '../../../core/device-adapter.js';
import type { OmadmAttributeMapping } from '../../../mappings/types.js';
import { callKey } from '../../common/command-dispatch.js';
import { attributeFromNode } from '../../common/node-values.js';
import type { Dm2Command, Dm2Status } from '../codec/index.js';
import { RepositoryFullError } from '../repository/index.js';
import type { Dm2OperationDeps } from './adapter-deps.js';
import { dm2Report, isSuccess, reportOfRefusal, unansweredReport } from './dm2-report.js';
import type { Dm2Outcome } from './dm2-dispatch.js';
import { getUnsupported, type HputRead, hputRead, statusWithUpload } from './hput-read.js';
import { below, commonNode, moAddress } from './mo-address.js';
import { leavesOf } from './mo-data.js';
import type { CachedRead } from './read-cache.js';

const OK = 200;
const NOT_FOUND = 404;
const NOT_MODIFIED = 304;

interface ReadPlan {
  /** The GET's ClientURI without the query: the subtree holding every leaf read. */
  node: string;
  /** The attributes and their paths below `node`. */
  leaves: Array<{ attribute: OmadmAttributeMapping; path: string }>;
  /** The CSE named the attributes (`atrl`): a leaf the device lacks fails the read instead of being left out. */
  named: boolean;
  cached?: CachedRead;
}

function readable(attribute: OmadmAttributeMapping): boolean {
  return !attribute.executable && attribute.access.includes('R');
}

/** `<node>[?cv=<validator>]`: the validator of the last read of that subtree, so an unchanged one answers 304. */
function readUri(plan: ReadPlan): string {
  return plan.cached ? `${plan.node}?cv=${encodeURIComponent(plan.cached.cv)}` : plan.node;
}

/** The subtree's leaves the device sent (200), or those cached (304); the validator is kept for the next read. */
function leavesAnswered(deps: Dm2OperationDeps, devId: string, plan: ReadPlan, status: Dm2Status): Map<string, string> | undefined {
  if (status.sc === NOT_MODIFIED) return plan.cached?.leaves;
  const entry = status.moData?.find((data) => sameNode(data.clientUri, plan.node)) ?? status.moData?.[0];
  const leaves = leavesOf(entry?.moData);
  if (entry?.cv !== undefined) deps.cache.put(devId, plan.node, { cv: entry.cv, leaves });
  else deps.cache.forget(devId, plan.node);
  return leaves;
}

/** ClientURIs of one node: the query and a trailing `/` make no difference. */
function sameNode(a: string, b: string): boolean {
  const bare = (uri: string) => uri.split('?')[0].replace(/\/$/, '');
  return bare(a) === bare(b);
}

/** 204 No Content (or another 2xx without Data): the read succeeded, the device returned no values; none is made up. */
function noDataReport(deps: Dm2OperationDeps, devId: string, plan: ReadPlan, sc: number, how: ReadHow): DeviceReport {
  deps.cache.forget(devId, plan.node);
  const reason = `the device answered ${sc} to ${how} ${plan.node} without data`;
  return dm2Report('retrieve', sc, { attributes: {}, leftOut: plan.leaves.map(({ attribute }) => ({ attribute: attribute.attribute, reason })) });
}

/** How a subtree was read: GET in the session, or HPUT to the repository (the device cannot GET). */
type ReadHow = 'GET' | 'HPUT';

function readReport(deps: Dm2OperationDeps, devId: string, plan: ReadPlan, status: Dm2Status, how: ReadHow): DeviceReport {
  const shown = `${how} ${readUri(plan)}`;
  if (status.sc === NOT_MODIFIED && !plan.cached) return dm2Report('retrieve', 'decode-error', { detail: `(OMA DM 2.0 ${shown} → 304 though no cache validator was sent)` });
  if (!isSuccess(status.sc) && status.sc !== NOT_MODIFIED) return dm2Report('retrieve', status.sc, { detail: `(OMA DM 2.0 ${shown} → ${status.sc})` });
  if (status.sc !== NOT_MODIFIED && status.moData === undefined && status.data !== undefined) {
    return dm2Report('retrieve', 'decode-error', { detail: `(OMA DM 2.0 ${shown} → ${status.sc} with Data that is no JSON MO data)` });
  }
  if (status.sc !== OK && status.sc !== NOT_MODIFIED && status.moData === undefined && status.data === undefined) return noDataReport(deps, devId, plan, status.sc, how);
  const leaves = leavesAnswered(deps, devId, plan, status) ?? new Map<string, string>();
  const attributes: Record<string, unknown> = {};
  const leftOut: LeftOutAttribute[] = [];
  let absent = 0;
  for (const { attribute, path } of plan.leaves) {
    const text = leaves.get(path);
    const uri = plan.node + path;
    if (text === undefined) {
      if (plan.named) return dm2Report('retrieve', NOT_FOUND, { detail: `(OMA DM 2.0 ${shown} → ${status.sc} without ${uri})` });
      absent++;
      leftOut.push({ attribute: attribute.attribute, reason: `the device sent no node ${uri}` });
      continue;
    }
    const value = attributeFromNode(deps.converters, attribute, text);
    if ('value' in value) attributes[attribute.attribute] = value.value;
    else leftOut.push({ attribute: attribute.attribute, reason: value.reason });
  }
  // A subtree with none of the mgmtObj's leaves: the device lacks them.
  if (absent === plan.leaves.length) return dm2Report('retrieve', NOT_FOUND, { detail: `(OMA DM 2.0 ${shown} → ${status.sc} with none of the leaves read)` });
  const detail = status.sc === NOT_MODIFIED ? { detail: '(not modified since the last read: the values of that read)' } : {};
  return dm2Report('retrieve', status.sc, { attributes, ...(leftOut.length > 0 ? { leftOut } : {}), ...detail });
}

/**
 * Retrieve of mgmtObjs of one device: one GET per mgmtObj of the deepest node holding every readable leaf (or those of
 * `named`), all queued for the device's next session; with the cache validator of the last read of that node, so an
 * unchanged subtree answers 304 and the last values stand. A device that cannot GET is read with HPUT through the data
 * repository instead. Reports in the order of `objs`.
 */
export async function retrieveMgmtObjs(
  deps: Dm2OperationDeps,
  device: DeviceRef,
  objs: readonly MgmtObjRef[],
  ctx: DeviceCallContext,
  named?: readonly string[],
  /** Called once the GETs wait in the queue (or when nothing needs to be read). */
  queued?: () => void,
): Promise<DeviceReport[]> {
  const table = deps.table();
  const devId = device.deviceId;
  const reports: DeviceReport[] = [];
  const plans: Array<{ index: number; plan: ReadPlan }> = [];
  objs.forEach((obj, index) => {
    try {
      const address = moAddress(table, obj, (moid) => deps.miids(devId, moid));
      const leaves = address.mapping.attributes
        .filter((attribute) => readable(attribute) && (!named || named.includes(attribute.attribute)))
        .flatMap((attribute) => {
          const path = address.pathOf(attribute);
          return path === undefined ? [] : [{ attribute, path }];
        });
      if (leaves.length === 0) {
        reports[index] = dm2Report('retrieve', 200, { attributes: {} });
        return;
      }
      const nodePath = commonNode(leaves.map((leaf) => leaf.path));
      const node = address.clientUri(nodePath === '' ? '' : `${nodePath}/`);
      const cached = deps.cache.get(devId, node);
      const relative = leaves.map((leaf) => ({ attribute: leaf.attribute, path: below(nodePath, leaf.path) }));
      plans.push({ index, plan: { node, leaves: relative, named: named !== undefined, ...(cached ? { cached } : {}) } });
    } catch (error) {
      reports[index] = reportOfRefusal('retrieve', error);
    }
  });
  if (plans.length === 0) {
    queued?.();
    return reports;
  }
  const statuses = await readSubtrees(deps, devId, plans.map(({ plan }) => plan), ctx, callKey(ctx, 'retrieve', objs.map((obj) => obj.ri).join(',')), queued);
  plans.forEach(({ index, plan }, at) => {
    const read = statuses[at];
    reports[index] = 'report' in read ? read.report : 'answer' in read.outcome ? readReport(deps, devId, plan, read.outcome.answer, read.how) : unansweredReport('retrieve', read.outcome);
  });
  return reports;
}

type SubtreeRead = { outcome: Dm2Outcome; how: ReadHow } | { report: DeviceReport };

/**
 * Reads each subtree with GET; those the device answers 405/406/501 are read again with HPUT to the repository in the
 * same session (which waits for the retry to be queued), and a device whose HPUT then succeeds is read with HPUT from
 * then on.
 */
async function readSubtrees(deps: Dm2OperationDeps, devId: string, plans: readonly ReadPlan[], ctx: DeviceCallContext, key: string, queued?: () => void): Promise<SubtreeRead[]> {
  if (deps.getUnsupported.has(devId)) return readThroughRepository(deps, devId, plans, ctx, key, queued);
  const held: string[] = [];
  const holdEach = (entries: ReadonlyArray<{ id: string }>) => {
    for (const entry of entries) {
      deps.dispatch.holdForFollowUp(entry.id, getUnsupported);
      held.push(entry.id);
    }
    queued?.();
  };
  const release = () => held.splice(0).forEach((id) => deps.dispatch.releaseFollowUp(id));
  try {
    const outcomes = await deps.dispatch.send(devId, plans.map((plan) => ['GET', readUri(plan)] as Dm2Command), ctx, key, holdEach);
    const reads: SubtreeRead[] = outcomes.map((outcome) => ({ outcome, how: 'GET' }));
    const retried = outcomes.flatMap((outcome, at) => ('answer' in outcome && getUnsupported(outcome.answer) ? [at] : []));
    if (retried.length === 0) return reads;
    const again = await readThroughRepository(deps, devId, retried.map((at) => plans[at]), ctx, `${key}+HPUT`, release);
    retried.forEach((at, position) => {
      const read = again[position];
      // The repository is full: the GET's own status stands.
      if ('report' in read) return;
      reads[at] = read;
      if ('answer' in read.outcome && isSuccess(read.outcome.answer.sc)) deps.getUnsupported.add(devId);
    });
    return reads;
  } finally {
    release();
  }
}

/** Reads each subtree with `HPUT <repository URI> <node>`; the statuses carry the MO data the device PUT there. */
async function readThroughRepository(deps: Dm2OperationDeps, devId: string, plans: readonly ReadPlan[], ctx: DeviceCallContext, key: string, queued?: () => void): Promise<SubtreeRead[]> {
  const reads: HputRead[] = [];
  try {
    for (const plan of plans) reads.push(hputRead(deps, devId, readUri(plan), ctx));
  } catch (error) {
    for (const read of reads) deps.repository.withdraw(read.url);
    queued?.();
    if (!(error instanceof RepositoryFullError)) throw error;
    return plans.map(() => ({ report: dm2Report('retrieve', 'queue-full', { detail: `(${error.message}; nothing was sent)` }) }));
  }
  const outcomes = await deps.dispatch.send(devId, reads.map((read) => read.command), ctx, key, queued && (() => queued()));
  return Promise.all(
    outcomes.map(async (outcome, at): Promise<SubtreeRead> => {
      const answered = 'answer' in outcome ? { answer: await statusWithUpload(deps, reads[at], outcome.answer) } : outcome;
      if (!('answer' in outcome)) deps.repository.withdraw(reads[at].url);
      return { outcome: answered, how: 'HPUT' };
    }),
  );
}
