/** Content-Type of package 1 (device -> proxy, opens the session). */
export const DM2_INITIATION = 'application/vnd.oma.dm.initiation+json';
/** Content-Type of package 2 (proxy -> device: the commands). */
export const DM2_REQUEST = 'application/vnd.oma.dm.request+json';
/** Content-Type of package 3 (device -> proxy: the statuses). */
export const DM2_RESPONSE = 'application/vnd.oma.dm.response+json';

export type Dm2PackageType = 'initiation' | 'response';

/**
 * Which package a Content-Type announces: parameters other than a UTF-8 charset make it unreadable (undefined), as
 * does any other type.
 */
export function dm2PackageType(contentType: string | undefined): Dm2PackageType | undefined {
  if (contentType === undefined) return undefined;
  const [type, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  for (const parameter of parameters) {
    const [name, value] = parameter.split('=').map((part) => part.trim().replace(/^"|"$/g, ''));
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8') return undefined;
  }
  if (type === DM2_INITIATION) return 'initiation';
  if (type === DM2_RESPONSE) return 'response';
  return undefined;
}
