import type { RepositoryData } from '../repository/index.js';

/** MO data values (reference §2, JSON MO serialisation): a leaf's text, or an interior node as an object of its children. */
export type MoValue = string | { [child: string]: MoValue };

/** The media type of JSON MO data in HGET bodies (the reference names none of its own). */
const MO_DATA_MEDIA = 'application/json';

/** What an HGET fetches from the repository: one MO data entry writing `value` as node `name` at `clientUri`. */
export function moDataBody(clientUri: string, name: string, value: MoValue): RepositoryData {
  return { contentType: MO_DATA_MEDIA, body: Buffer.from(JSON.stringify([{ ClientURI: clientUri, MOData: { [name]: value } }])) };
}

/** Leaves (`a/b` -> text) as one interior node's MO data. */
export function nested(leaves: ReadonlyArray<readonly [string, string]>): { [child: string]: MoValue } {
  const root: { [child: string]: MoValue } = {};
  for (const [path, text] of leaves) {
    const segments = path.split('/');
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      const child = node[segment];
      node = (node[segment] = typeof child === 'object' ? child : {});
    }
    node[segments[segments.length - 1]] = text;
  }
  return root;
}

/** The leaves of one node's MO data (`{name: value}`), by path below that node; numbers and booleans as text. */
export function leavesOf(moData: unknown): Map<string, string> {
  const leaves = new Map<string, string>();
  if (moData === null || typeof moData !== 'object' || Array.isArray(moData)) return leaves;
  const values = Object.values(moData as Record<string, unknown>);
  if (values.length !== 1) return leaves;
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') leaves.set(path, String(value));
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 32) {
      for (const [name, child] of Object.entries(value as Record<string, unknown>)) walk(child, path === '' ? name : `${path}/${name}`, depth + 1);
    }
  };
  walk(values[0], '', 0);
  return leaves;
}
