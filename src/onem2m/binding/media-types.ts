import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';

export type Serialization = 'json' | 'xml';

/** Media types the binding reads and writes; the order is the preference for `Accept: *\/*` (JSON first). */
export const RESPONSE_MEDIA_TYPES = [
  'application/json',
  'application/vnd.onem2m-res+json',
  'application/xml',
  'application/vnd.onem2m-res+xml',
] as const;

const SERIALIZATION: ReadonlyMap<string, Serialization> = new Map(
  RESPONSE_MEDIA_TYPES.map((type) => [type, type.endsWith('json') ? 'json' : 'xml']),
);
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

export function serializationOf(mediaType: string): Serialization {
  return SERIALIZATION.get(mediaType) ?? 'json';
}

export interface RequestContentType {
  serialization: Serialization;
  /** The `ty` parameter: present = Create. */
  ty?: number;
}

/** `type/subtype; name=value; ...` → lower-cased type and parameters (quoted values unquoted). */
function parse(header: string): { type: string; params: Map<string, string> } {
  const [type, ...rawParams] = header.split(';');
  const params = new Map<string, string>();
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq < 0) continue;
    params.set(raw.slice(0, eq).trim().toLowerCase(), raw.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { type: type.trim().toLowerCase(), params };
}

/** Request `Content-Type` (TS-0009 §6.4.2): a JSON or XML type, with `ty=<resourceType>` for a Create. */
export function parseRequestContentType(header: string | undefined): RequestContentType | undefined {
  if (header === undefined) return undefined;
  const { type, params } = parse(header);
  const serialization = SERIALIZATION.get(type);
  if (serialization === undefined) {
    throw new RequestError(RSC.UNSUPPORTED_MEDIA_TYPE, `unsupported Content-Type "${type}": use ${RESPONSE_MEDIA_TYPES.join(', ')}`);
  }
  const charset = params.get('charset')?.toLowerCase();
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) {
    throw new RequestError(RSC.UNSUPPORTED_MEDIA_TYPE, `unsupported charset "${charset}": content must be UTF-8`);
  }
  const ty = params.get('ty');
  if (ty === undefined) return { serialization };
  if (!/^\d{1,9}$/.test(ty)) throw new RequestError(RSC.BAD_REQUEST, `Content-Type parameter ty="${ty}" is not a resource type number`);
  return { serialization, ty: Number(ty) };
}
