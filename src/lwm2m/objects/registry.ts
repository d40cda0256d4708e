import type { ResourceType, TypeResolver } from '../formats/model.js';
import { OMA_OBJECTS, type ObjectDefinition, type Operations } from './oma-objects.js';

export interface ResourceModel {
  id: number;
  name: string;
  type: ResourceType;
  operations: Operations;
  multiple: boolean;
  mandatory: boolean;
}

export interface ObjectModel {
  id: number;
  name: string;
  multiple: boolean;
  resources: ReadonlyMap<number, ResourceModel>;
}

function toModel(definition: ObjectDefinition): ObjectModel {
  const resources = new Map<number, ResourceModel>();
  for (const [id, name, operations, type, ...flags] of definition.resources) {
    resources.set(id, { id, name, type, operations, multiple: flags.includes('multi'), mandatory: flags.includes('mandatory') });
  }
  return { id: definition.id, name: definition.name, multiple: definition.multiple, resources };
}

const MODELS: ReadonlyMap<number, ObjectModel> = new Map(OMA_OBJECTS.map((definition) => [definition.id, toModel(definition)]));

export function objectModel(objectId: number): ObjectModel | undefined {
  return MODELS.get(objectId);
}

export function resourceModel(objectId: number, resourceId: number): ResourceModel | undefined {
  return MODELS.get(objectId)?.resources.get(resourceId);
}

/** Resource type lookup for decoders. */
export const resourceType: TypeResolver = (objectId, resourceId) => objectModel(objectId)?.resources.get(resourceId)?.type;

/** Known and executable (E); false for unknown resources. */
export function isExecutable(objectId: number, resourceId: number): boolean {
  return resourceModel(objectId, resourceId)?.operations === 'E';
}

/** Known and writable through the DM interface (W or RW); false for unknown resources. */
export function isWritable(objectId: number, resourceId: number): boolean {
  return resourceModel(objectId, resourceId)?.operations.includes('W') ?? false;
}

/** Known and readable (R or RW); false for unknown resources. */
export function isReadable(objectId: number, resourceId: number): boolean {
  return resourceModel(objectId, resourceId)?.operations.includes('R') ?? false;
}

/** Known multiple-instance resource (its values live at `/oid/iid/rid/riid`). */
export function isMultipleResource(objectId: number, resourceId: number): boolean {
  return resourceModel(objectId, resourceId)?.multiple ?? false;
}
