/** The one attribute dictionary: short name, long name, type, create/update optionality, read-only. */
export type AttributeKind = 'string' | 'integer' | 'boolean' | 'timestamp' | 'anyURI' | 'list' | 'object' | 'any';

export interface AttributeInfo {
  short: string;
  long: string;
  kind: AttributeKind;
  /** Element kind for lists. */
  itemKind?: AttributeKind;
}

/** Type of an attribute by short name (used e.g. to read typed values from XML). */
export function attributeInfo(_short: string): AttributeInfo | undefined {
  return undefined;
}
