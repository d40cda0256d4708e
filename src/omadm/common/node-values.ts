import { attributeInfo } from '../../core/attribute-dictionary.js';
import { asBoolean, asInteger } from '../../mappings/device-values.js';
import type { ConverterRegistry, OmadmAttributeMapping } from '../../mappings/types.js';
import { DmRefusal } from './refusal.js';

/** A leaf value as it travels in an Item: the text and its Meta Format. */
export interface NodeData {
  data: string;
  format: 'chr' | 'int' | 'bool';
}

/** The oneM2M value of a leaf the device reported (DM values are text), or why there is none. */
export function attributeFromNode(converters: ConverterRegistry, attribute: OmadmAttributeMapping, text: string): { value: unknown } | { reason: string } {
  const shown = JSON.stringify(text.slice(0, 80));
  if (attribute.converter) {
    const value = converters.fromDevice(attribute.converter, [text], attribute.attribute);
    return value === undefined ? { reason: `${shown} does not convert with ${attribute.converter}` } : { value };
  }
  switch (attributeInfo(attribute.attribute)?.kind) {
    case 'integer': {
      const value = asInteger(text);
      return value === undefined ? { reason: `${shown} is no integer` } : { value };
    }
    case 'boolean': {
      const value = asBoolean(text);
      return value === undefined ? { reason: `${shown} is no boolean` } : { value };
    }
    default:
      return { value: text };
  }
}

/** The leaf value to send for a oneM2M value; throws DmRefusal (`invalid-value`) when it has none. */
export function nodeFromAttribute(converters: ConverterRegistry, attribute: OmadmAttributeMapping, value: unknown): NodeData {
  const device = attribute.converter ? converters.toDevice(attribute.converter, value, attribute.attribute) : value;
  if (typeof device === 'boolean') return { data: String(device), format: 'bool' };
  if (typeof device === 'number' && Number.isSafeInteger(device)) return { data: String(device), format: 'int' };
  if (typeof device === 'string') return { data: device, format: 'chr' };
  throw new DmRefusal('invalid-value', `${JSON.stringify(value)?.slice(0, 80)} cannot be written to "${attribute.attribute}"`);
}
