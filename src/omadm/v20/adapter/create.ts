import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef } from '../../../core/device-adapter.js';
import { callKey } from '../../common/command-dispatch.js';
import { nodeFromAttribute } from '../../common/node-values.js';
import { RepositoryFullError } from '../repository/index.js';
import type { Dm2OperationDeps } from './adapter-deps.js';
import { dm2Report, isSuccess, reportOfRefusal, unansweredReport } from './dm2-report.js';
import { below, moAddress } from './mo-address.js';
import { moDataBody, nested } from './mo-data.js';
import { offerForCall } from './repository-offer.js';

interface CreatePlan {
  /** HGET's ClientURI: the instance node in the device's MO instance, or the MOID alone for a new MO instance. */
  clientUri: string;
  /** The node the MO data holds: the instance node's name, or the MO root's. */
  name: string;
  leaves: Array<readonly [string, string]>;
  attributes: Record<string, unknown>;
  moUrn: string;
}

/** Throws DmRefusal before anything is sent. */
function planCreate(deps: Dm2OperationDeps, devId: string, obj: MgmtObjRef): CreatePlan {
  const address = moAddress(deps.table(), obj, (moid) => deps.miids(devId, moid));
  const { mapping } = address;
  const mapped = new Set(mapping.attributes.map((attribute) => attribute.attribute));
  const writable = mapping.attributes.filter((attribute) => !attribute.executable && attribute.access.includes('W') && address.pathOf(attribute) !== undefined);
  // A multi-instance mapping (software-<x>) writes the instance node inside the device's MO instance, with the leaves below it.
  const instanceNode = address.instanceNode;
  const given = writable.filter((attribute) => obj.attrs[attribute.attribute] !== undefined && (instanceNode === undefined || address.pathOf(attribute)?.startsWith(`${instanceNode}/`)));
  const attributes = Object.fromEntries(Object.entries(obj.attrs).filter(([name]) => !mapped.has(name) || given.some((leaf) => leaf.attribute === name)));
  const leaves = given.map((attribute) => [below(instanceNode ?? '', address.pathOf(attribute) as string), nodeFromAttribute(deps.converters, attribute, obj.attrs[attribute.attribute]).data] as const);
  if (instanceNode === undefined || address.instance === undefined) {
    // A single-instance MO: a new MO instance (the device chooses its MIID and names it in Status.URI).
    const name = mapping.rootPath.slice(mapping.rootPath.lastIndexOf('/') + 1);
    return { clientUri: mapping.moUrn, name, leaves, attributes, moUrn: mapping.moUrn };
  }
  return { clientUri: address.clientUri(instanceNode), name: address.instance, leaves, attributes, moUrn: mapping.moUrn };
}

/**
 * Create: `HGET <repository URI> <ClientURI>`, the MO data (the instance node with the writable leaves given) offered
 * once in the data repository; the device fetches it and adds it to its tree. Status.URI (else the ClientURI sent) is
 * the new node: the mgmtObj's objectPaths. Attributes without a DM node stand as the CSE gave them.
 */
export async function createMgmtObj(deps: Dm2OperationDeps, device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport> {
  const devId = device.deviceId;
  let plan: CreatePlan;
  let url: string;
  try {
    plan = planCreate(deps, devId, obj);
    url = offerForCall(deps, devId, moDataBody(plan.clientUri, plan.name, nested(plan.leaves)), ctx);
  } catch (error) {
    if (error instanceof RepositoryFullError) return dm2Report('create', 'queue-full', { detail: `(${error.message}; nothing was sent)` });
    return reportOfRefusal('create', error);
  }
  try {
    const [outcome] = await deps.dispatch.send(devId, [['HGET', url, plan.clientUri]], ctx, callKey(ctx, 'create', obj.ri));
    if (!('answer' in outcome)) return unansweredReport('create', outcome);
    const { sc, uris } = outcome.answer;
    if (!isSuccess(sc)) return dm2Report('create', sc, { detail: `(OMA DM 2.0 HGET ${plan.clientUri} → ${sc})` });
    return dm2Report('create', sc, { attributes: plan.attributes, obis: [plan.moUrn], obps: uris && uris.length > 0 ? uris : [plan.clientUri] });
  } finally {
    deps.repository.withdraw(url);
  }
}
