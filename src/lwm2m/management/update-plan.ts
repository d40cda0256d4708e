import type { ConverterRegistry, Lwm2mMgmtObjMapping } from '../../mappings/types.js';
import type { Lwm2mValue, TypeResolver } from '../formats/model.js';
import { RequestRefusedError } from './errors.js';
import type { InstanceRef } from './object-path.js';
import { toResourceValue } from './value-conversion.js';

export interface WriteStep {
  attribute: string;
  resourceId: number;
  value: Lwm2mValue;
}

export interface ExecuteStep {
  attribute: string;
  resourceId: number;
}

/** What an Update sends, in order: the Writes, then the Executes (TS-0004 §7.4.15.2.4), both in table order. */
export interface UpdatePlan {
  writes: WriteStep[];
  executes: ExecuteStep[];
  /** The written attributes as the CSE sent them (and those without a resource), reported back once the device confirmed. */
  written: Record<string, unknown>;
}

/** What an Update got done on the device so far: the completed steps (for dbg) and the attributes whose Write it acknowledged. */
export interface UpdateProgress {
  steps: string[];
  written: string[];
}

/**
 * Turns the changed attributes of a mgmtObj into LwM2M steps. Refuses (RequestRefusedError) before anything is sent
 * when an attribute is read-only on the device or a value does not fit its resource. Attributes without an LwM2M
 * resource are not the device's business: nothing is sent for them and they are reported back as given.
 */
export function planUpdate(
  mapping: Lwm2mMgmtObjMapping,
  changes: Record<string, unknown>,
  instance: InstanceRef,
  converters: ConverterRegistry,
  types: TypeResolver,
): UpdatePlan {
  const plan: UpdatePlan = { writes: [], executes: [], written: {} };
  for (const attribute of mapping.attributes) {
    if (!(attribute.attribute in changes)) continue;
    const value = changes[attribute.attribute];
    const resourceId = attribute.resources[0];
    const path = `/${instance.objectId}/${instance.instanceId}/${resourceId}`;
    if (attribute.executable) {
      if (value === true) plan.executes.push({ attribute: attribute.attribute, resourceId });
      else if (value !== false) throw new RequestRefusedError('invalid-value', `executable attribute "${attribute.attribute}" takes true or false`);
      continue;
    }
    if (attribute.access === 'R') {
      throw new RequestRefusedError('4.05', `"${attribute.attribute}" is read-only on the device (${path})`);
    }
    const deviceValue = toResourceValue(attribute, value, path, converters, types(instance.objectId, resourceId));
    plan.writes.push({ attribute: attribute.attribute, resourceId, value: deviceValue });
    plan.written[attribute.attribute] = value;
  }
  const mapped = new Set(mapping.attributes.map((attribute) => attribute.attribute));
  for (const [name, value] of Object.entries(changes)) if (!mapped.has(name)) plan.written[name] = value;
  return plan;
}
