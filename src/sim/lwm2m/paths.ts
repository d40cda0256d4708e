/** Strips the alternate root path (`/lwm2m`) from a request path; undefined when the request is outside it. */
export function belowRoot(path: string, rootPath: string): string | undefined {
  if (rootPath === '') return path;
  if (path === rootPath) return '/';
  return path.startsWith(rootPath + '/') ? path.slice(rootPath.length) : undefined;
}
