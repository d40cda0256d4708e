/**
 * ClientURI addressing (reference §2): `MOID/MIID/path[?query]`. An empty MIID is the MOID's only instance, `*` all
 * of them; no MIID component at all (`urn:oma:mo:oma-scomo:1.0`) asks HGET for a new instance. `cv=` carries a cache
 * validator. x-names (`(x)` with `nv=`) and wildcards inside the path are not supported (501).
 */
export interface ClientUri {
  moid: string;
  /** undefined: no MIID component; '': the single instance; '*': every instance. */
  miid: string | undefined;
  /** Node names below the MO instance root. */
  path: string[];
  cv?: string;
}

export type ClientUriParse = { uri: ClientUri } | { error: 'malformed' | 'unsupported'; reason: string };

export function parseClientUri(text: string): ClientUriParse {
  const [location, query = ''] = splitOnce(text, '?');
  const parts = location.split('/');
  const moid = parts[0];
  if (!/^urn:oma:mo:[^/]+$/i.test(moid)) return { error: 'malformed', reason: `"${text}" does not start with an MOID (urn:oma:mo:...)` };
  const miid = parts.length > 1 ? decodeURIComponent(parts[1]) : undefined;
  const rest = parts.slice(2);
  if (rest.at(-1) === '') rest.pop();
  if (rest.some((segment) => segment === '' || segment === '.' || segment === '..')) return { error: 'malformed', reason: `"${text}" has an empty node name` };
  const path = rest.map((segment) => decodeURIComponent(segment));
  if ([miid ?? '', ...path].some((segment) => /^\(.\)$/.test(segment)) || path.includes('*')) {
    return { error: 'unsupported', reason: `"${text}": x-names and path wildcards are not supported` };
  }
  let cv: string | undefined;
  for (const field of query.split('&').filter(Boolean)) {
    const [name, value = ''] = splitOnce(field, '=');
    if (name === 'cv') cv = decodeURIComponent(value);
    else if (name === 'nv') return { error: 'unsupported', reason: `"${text}": nv fields are not supported` };
  }
  return { uri: { moid, miid, path, ...(cv !== undefined ? { cv } : {}) } };
}

export function formatClientUri(moid: string, miid: string, path: string[] = []): string {
  return `${moid}/${miid}/${path.join('/')}`;
}

function splitOnce(text: string, separator: string): [string, string?] {
  const index = text.indexOf(separator);
  return index < 0 ? [text] : [text.slice(0, index), text.slice(index + 1)];
}
