import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef } from '../../../core/device-adapter.js';
import type { DmOperationDeps } from './adapter-deps.js';
import { callKey } from './command-dispatch.js';
import { successCode } from './answer-reading.js';
import { runSteps, step } from './command-steps.js';
import { addInterior, addLeaf } from './dm-commands.js';
import { dmReport, reportOfRefusal } from './dm-report.js';
import { mgmtObjNodes } from './mgmt-obj-nodes.js';
import { nodeFromAttribute } from '../../common/node-values.js';

/**
 * Create: Add of the instance node (Format node; the MO root for a single-instance MO), then Add of each writable
 * leaf given, as one Atomic. Attributes without a DM node stand as the CSE gave them.
 */
export async function createMgmtObj(deps: DmOperationDeps, device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport> {
  let plan;
  try {
    const nodes = mgmtObjNodes(deps.table(), obj);
    const mapped = new Set(nodes.mapping.attributes.map((attribute) => attribute.attribute));
    const leaves = nodes.mapping.attributes.filter((attribute) => !attribute.executable && attribute.access.includes('W') && obj.attrs[attribute.attribute] !== undefined);
    const interiors = nodes.instanceNodes(leaves.length > 0 ? leaves : undefined);
    plan = {
      nodes,
      interiors,
      steps: [
        ...interiors.map((uri) => step(addInterior(uri), 'create')),
        ...leaves.map((attribute) => step(addLeaf(nodes.uriOf(attribute), nodeFromAttribute(deps.converters, attribute, obj.attrs[attribute.attribute])), 'create')),
      ],
      attributes: Object.fromEntries(Object.entries(obj.attrs).filter(([name]) => !mapped.has(name) || leaves.some((leaf) => leaf.attribute === name))),
    };
  } catch (error) {
    return reportOfRefusal('create', error);
  }
  const outcome = await runSteps(deps, device, plan.steps, 'Atomic', 'create', ctx, callKey(ctx, 'create', obj.ri));
  if ('failed' in outcome) return outcome.failed;
  return dmReport('create', successCode(outcome.codes), { attributes: plan.attributes, obis: [plan.nodes.mapping.moUrn], obps: plan.interiors });
}
