import type { Lwm2mPath } from '../../src/lwm2m/formats/model.js';

/** `/3/0/9` → [3, 0, 9]; `/` → []; undefined when a segment is not an LwM2M ID (0…65535) or there are more than 4. */
export function parseLwm2mPath(path: string): Lwm2mPath | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length > 4) return undefined;
  const ids = segments.map((segment) => (/^\d{1,5}$/.test(segment) ? Number(segment) : NaN));
  return ids.every((id) => id <= 65535) ? ids : undefined;
}

/** Strips the alternate root path (`/lwm2m`); undefined when the request is outside it. */
export function belowRoot(path: string, rootPath: string): string | undefined {
  const root = rootPath.replace(/\/+$/, '');
  if (root === '') return path;
  if (path === root) return '/';
  return path.startsWith(root + '/') ? path.slice(root.length) : undefined;
}

export function formatPath(path: Lwm2mPath): string {
  return '/' + path.join('/');
}

export function isBelow(path: Lwm2mPath, prefix: Lwm2mPath): boolean {
  return prefix.every((id, index) => path[index] === id);
}
