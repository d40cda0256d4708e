import type { DeviceCallContext } from '../../../core/device-adapter.js';
import type { Dm2Command, Dm2MoData, Dm2Status } from '../codec/index.js';
import type { RepositoryData } from '../repository/index.js';
import type { Dm2OperationDeps } from './adapter-deps.js';
import { isSuccess } from './dm2-report.js';

const NOT_MODIFIED = 304;

/** GET statuses saying the device cannot GET (405 Not Allowed, 406 Not Acceptable, 501 Not Implemented): HPUT instead. */
export function getUnsupported(status: Dm2Status): boolean {
  return status.sc === 405 || status.sc === 406 || status.sc === 501;
}

/** One read through the repository: the device PUTs the MO data of `clientUri` to `url`. */
export interface HputRead {
  command: Dm2Command;
  url: string;
  received: Promise<RepositoryData>;
}

/** `HPUT <repository URI> <clientUri>`, the URI open until the call's deadline and the repository's time to live after it. Throws RepositoryFullError. */
export function hputRead(deps: Dm2OperationDeps, devId: string, clientUri: string, ctx: DeviceCallContext): HputRead {
  const { url, received } = deps.repository.expect(devId, Math.max(0, ctx.deadline - Date.now()) + deps.repositoryTtlMs);
  return { command: ['HPUT', url, clientUri], url, received };
}

/**
 * The HPUT's status with the MO data the device PUT to the repository as if a GET had answered it; the URI is closed.
 * A success without an upload is a status without data; an upload that is no JSON MO data is kept as `data`.
 */
export async function statusWithUpload(deps: Dm2OperationDeps, read: HputRead, status: Dm2Status): Promise<Dm2Status> {
  // The device PUTs before it answers the HPUT: what came is there already; an URI still open gets nothing more.
  deps.repository.withdraw(read.url);
  const upload = await read.received.catch(() => undefined);
  if (!isSuccess(status.sc) || status.sc === NOT_MODIFIED || upload === undefined) return { sc: status.sc };
  const text = upload.body.toString('utf8');
  const moData = moDataOf(text);
  return moData === undefined ? { sc: status.sc, data: text } : { sc: status.sc, moData };
}

/** JSON MO data (`[{"ClientURI", "CV"?, "MOData"}]`, or one such object), or undefined when the text is not that. */
export function moDataOf(text: string): Dm2MoData[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const entries = Array.isArray(parsed) ? parsed : [parsed];
  const data: Dm2MoData[] = [];
  for (const entry of entries) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
    const { ClientURI: clientUri, CV: cv, MOData: moData } = entry as Record<string, unknown>;
    if (typeof clientUri !== 'string' || (cv !== undefined && typeof cv !== 'string')) return undefined;
    data.push({ clientUri, moData, ...(cv !== undefined ? { cv } : {}) });
  }
  return data.length > 0 ? data : undefined;
}
