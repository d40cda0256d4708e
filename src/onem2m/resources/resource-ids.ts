import { RandomPool } from '../../core/random-pool.js';

const idBits = new RandomPool(8);

/** A new unstructured resource id: the type's short name (`nod`, `fwr`, ...) and 64 random bits. */
export function newResourceId(rootKey: string): string {
  return `${rootKey.slice(rootKey.indexOf(':') + 1)}${idBits.draw('hex')}`;
}
