/**
 * The parameters of an HTTP authentication header after its scheme (RFC 7235 auth-param list:
 * `name=token` or `name="quoted string"`, comma separated). Names are lower-cased; undefined when the list is malformed
 * or names a parameter twice.
 */
export function parseAuthParams(text: string): Map<string, string> | undefined {
  const params = new Map<string, string>();
  const pattern = /\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s",]*))\s*(,|$)/y;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (match === null) return undefined;
    const name = match[1].toLowerCase();
    if (params.has(name)) return undefined;
    params.set(name, match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]);
    index = pattern.lastIndex;
    if (match[4] === '') break;
  }
  return params;
}

/** Splits `Scheme rest` (the scheme case-insensitively lower-cased). */
export function authScheme(header: string): { scheme: string; rest: string } {
  const trimmed = header.trim();
  const space = trimmed.search(/\s/);
  return space < 0 ? { scheme: trimmed.toLowerCase(), rest: '' } : { scheme: trimmed.slice(0, space).toLowerCase(), rest: trimmed.slice(space + 1).trim() };
}

/** A quoted-string value for a challenge. */
export function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
