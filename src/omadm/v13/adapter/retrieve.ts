import type { DeviceCallContext, DeviceRef, DeviceReport, LeftOutAttribute, MgmtObjRef } from '../../../core/device-adapter.js';
import type { OmadmAttributeMapping } from '../../../mappings/types.js';
import type { DmOperationDeps } from './adapter-deps.js';
import { callKey } from './command-dispatch.js';
import { answerOf, itemCode, isSuccess } from './answer-reading.js';
import { getNodes } from './dm-commands.js';
import { dmReport, reportOfRefusal, unansweredReport } from './dm-report.js';
import { type MgmtObjNodes, mgmtObjNodes } from './mgmt-obj-nodes.js';
import { attributeFromNode } from '../../common/node-values.js';

const NOT_FOUND = 404;

interface ReadPlan {
  nodes: MgmtObjNodes;
  attributes: OmadmAttributeMapping[];
  /** The CSE named the attributes (`atrl`): a node the device lacks fails the read instead of being left out. */
  named: boolean;
}

function readable(attribute: OmadmAttributeMapping): boolean {
  return !attribute.executable && attribute.access.includes('R');
}

/** The values of one Get: converted attributes, those left out, or the report of the first failing Item. */
function readReport(deps: DmOperationDeps, plan: ReadPlan, answer: ReturnType<typeof answerOf>): DeviceReport {
  const attributes: Record<string, unknown> = {};
  const leftOut: LeftOutAttribute[] = [];
  const absent: string[] = [];
  for (const attribute of plan.attributes) {
    const uri = plan.nodes.uriOf(attribute);
    const code = itemCode(answer, uri);
    if (code === undefined) return dmReport('retrieve', 'decode-error', { detail: `(the device answered the Get without a Status for ${uri})` });
    if (code === NOT_FOUND && !plan.named) {
      absent.push(uri);
      leftOut.push({ attribute: attribute.attribute, reason: `the device has no node ${uri} (404)` });
      continue;
    }
    if (!isSuccess(code)) return dmReport('retrieve', code, { detail: `(OMA DM Get ${uri} → ${code})` });
    const text = answer.values.get(uri);
    const value = text === undefined ? { reason: `no value for ${uri} in the Results` } : attributeFromNode(deps.converters, attribute, text);
    if ('value' in value) attributes[attribute.attribute] = value.value;
    else leftOut.push({ attribute: attribute.attribute, reason: value.reason });
  }
  // A device with none of the MO's nodes lacks the MO.
  if (absent.length === plan.attributes.length) return dmReport('retrieve', NOT_FOUND, { detail: `(OMA DM Get ${absent[0]} → 404)` });
  return dmReport('retrieve', 200, { attributes, ...(leftOut.length > 0 ? { leftOut } : {}) });
}

/**
 * Retrieve of mgmtObjs of one device: one Get per mgmtObj naming every readable leaf (or those of `named`), all queued
 * for the device's next session. Reports in the order of `objs`.
 */
export async function retrieveMgmtObjs(
  deps: DmOperationDeps,
  device: DeviceRef,
  objs: readonly MgmtObjRef[],
  ctx: DeviceCallContext,
  named?: readonly string[],
  /** Called once the Gets wait in the queue (or when nothing needs to be read). */
  queued?: () => void,
): Promise<DeviceReport[]> {
  const table = deps.table();
  const reports: DeviceReport[] = [];
  const plans: Array<{ index: number; plan: ReadPlan }> = [];
  objs.forEach((obj, index) => {
    try {
      const nodes = mgmtObjNodes(table, obj);
      const attributes = nodes.mapping.attributes.filter((attribute) => readable(attribute) && (!named || named.includes(attribute.attribute)));
      if (attributes.length === 0) reports[index] = dmReport('retrieve', 200, { attributes: {} });
      else plans.push({ index, plan: { nodes, attributes, named: named !== undefined } });
    } catch (error) {
      reports[index] = reportOfRefusal('retrieve', error);
    }
  });
  if (plans.length === 0) {
    queued?.();
    return reports;
  }
  const commands = plans.map(({ plan }) => getNodes(plan.attributes.map((attribute) => plan.nodes.uriOf(attribute))));
  const outcomes = await deps.dispatch.send(device.deviceId, commands, ctx, callKey(ctx, 'retrieve', objs.map((obj) => obj.ri).join(',')), queued);
  plans.forEach(({ index, plan }, at) => {
    const outcome = outcomes[at];
    reports[index] = 'answer' in outcome ? readReport(deps, plan, answerOf(outcome.answer, outcome.answer.cmdIds[0])) : unansweredReport('retrieve', outcome);
  });
  return reports;
}
