import type { ResourceType, TypeResolver } from '../formats/model.js';

export interface ResourceModel {
  id: number;
  name: string;
  type: ResourceType;
  operations: 'R' | 'W' | 'RW' | 'E' | '';
  multiple: boolean;
  mandatory: boolean;
}

export interface ObjectModel {
  id: number;
  name: string;
  multiple: boolean;
  resources: ReadonlyMap<number, ResourceModel>;
}

export function objectModel(_objectId: number): ObjectModel | undefined {
  return undefined;
}

/** Resource type lookup for decoders. */
export const resourceType: TypeResolver = (objectId, resourceId) => objectModel(objectId)?.resources.get(resourceId)?.type;
