import { randomBytes } from 'node:crypto';

/** A new unstructured resource id: the type's short name (`nod`, `fwr`, ...) and 64 random bits (base64url: 11 characters, short because it is stored several times per resource). */
export function newResourceId(rootKey: string): string {
  return `${rootKey.slice(rootKey.indexOf(':') + 1)}${randomBytes(8).toString('base64url')}`;
}
