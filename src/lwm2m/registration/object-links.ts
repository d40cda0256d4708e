import { LinkFormatError, contentFormats, objectVersion, parseLinkFormat, resourceTypes, type Link } from '../formats/link-format.js';
import { Lwm2mRequestError } from '../request-error.js';
import type { Registration } from './registration.js';

/**
 * What a Register / Update payload (`</>;rt="oma.lwm2m";ct=110,</1/0>,</3/0>,</5>;ver=1.1`) announces. Frozen: one
 * parse may be shared by many registrations.
 */
export type RegisteredObjects = Pick<Registration, 'rootPath' | 'preferredFormat' | 'objects' | 'objectVersions'>;

const SECURITY_OBJECT = 0;
const LWM2M_ROOT_TYPE = 'oma.lwm2m';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function bad(message: string): Lwm2mRequestError {
  return new Lwm2mRequestError('4.00', message);
}

function id(segment: string, target: string): number {
  if (!/^\d{1,5}$/.test(segment) || Number(segment) > 65535) throw bad(`invalid object link <${target}>`);
  return Number(segment);
}

function rootOf(links: Link[]): { rootPath: string; preferredFormat?: number; rootLink?: Link } {
  const rootLink = links.find((link) => resourceTypes(link).includes(LWM2M_ROOT_TYPE));
  if (!rootLink) return { rootPath: '' };
  if (!rootLink.target.startsWith('/')) throw bad(`invalid LwM2M root path <${rootLink.target}>`);
  const rootPath = rootLink.target.replace(/\/+$/, '');
  const [preferredFormat] = contentFormats(rootLink);
  return { rootPath, rootLink, ...(preferredFormat === undefined ? {} : { preferredFormat }) };
}

/** Distinct payloads whose parsed form is kept for sharing. */
const SHARED_PAYLOADS = 64;
const shared = new Map<string, RegisteredObjects>();

function frozen(objects: RegisteredObjects): RegisteredObjects {
  for (const link of objects.objects) Object.freeze(link);
  Object.freeze(objects.objects);
  Object.freeze(objects.objectVersions);
  return Object.freeze(objects);
}

/**
 * Parses the object list of a Register / Update payload; throws Lwm2mRequestError 4.00 when it is not usable. Devices
 * of one model send the same payload: the parse of each of the latest distinct payloads is kept, frozen, and shared
 * by every registration that announced it (a parsed object list took about 800 bytes per registration otherwise).
 */
export function parseObjectLinks(payload: Buffer): RegisteredObjects {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    throw bad('payload is not UTF-8');
  }
  const known = shared.get(text);
  if (known) return known;
  let parsed: RegisteredObjects;
  try {
    parsed = frozen(objectsOf(parseLinkFormat(text)));
  } catch (err) {
    throw err instanceof LinkFormatError ? bad(err.message) : err;
  }
  if (shared.size >= SHARED_PAYLOADS) shared.delete(shared.keys().next().value!);
  shared.set(text, parsed);
  return parsed;
}

function objectsOf(links: Link[]): RegisteredObjects {
  const { rootLink, ...root } = rootOf(links);
  const objects: number[][] = [];
  const seen = new Set<string>();
  const withInstances = new Set<number>();
  const objectVersions: Record<string, string> = {};
  for (const link of links) {
    if (link === rootLink) continue;
    if (!link.target.startsWith(`${root.rootPath}/`)) throw bad(`object link <${link.target}> outside the LwM2M root "${root.rootPath || '/'}"`);
    const segments = link.target.slice(root.rootPath.length + 1).split('/');
    if (segments.length > 2) throw bad(`object link <${link.target}> names a resource`);
    const path = segments.map((segment) => id(segment, link.target));
    const version = objectVersion(link);
    if (path[0] === SECURITY_OBJECT) continue;
    if (version !== undefined) objectVersions[path[0]] = version;
    if (seen.has(path.join('/'))) continue;
    seen.add(path.join('/'));
    if (path.length === 2) withInstances.add(path[0]);
    objects.push(path);
  }
  return { ...root, objects: objects.filter((path) => path.length === 2 || !withInstances.has(path[0])), objectVersions };
}
