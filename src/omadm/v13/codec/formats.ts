/** Meta Format values of DM 1.2/1.3 (chr is the default when Format is absent). */
export const KNOWN_FORMATS = ['b64', 'bin', 'bool', 'chr', 'int', 'node', 'null', 'xml', 'date', 'time', 'float'] as const;
export type KnownFormat = (typeof KNOWN_FORMATS)[number];

const BY_LOWER_CASE: ReadonlyMap<string, KnownFormat> = new Map(KNOWN_FORMATS.map((format) => [format, format]));

/** Clients vary the case (hostap sends `Chr`): a known format in lower case, anything else as sent. */
export function normaliseFormat(format: string): string {
  return BY_LOWER_CASE.get(format.trim().toLowerCase()) ?? format.trim();
}

/** Compares two Format values the way DM clients need it: case-insensitively, an absent Format being chr. */
export function sameFormat(a: string | undefined, b: string | undefined): boolean {
  return (a ?? 'chr').trim().toLowerCase() === (b ?? 'chr').trim().toLowerCase();
}
