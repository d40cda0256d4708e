import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../core/logger.js';
import { type DmCredentialStore, dm2Record } from '../../../store/dm-credential-store.js';
import type { AuthFailureLimiter } from '../../common/auth-failures.js';
import { readBody } from '../../common/read-body.js';
import type { Dm2Authenticator } from '../auth/index.js';
import { type Dm2Limits, Dm2DecodeError, DM2_INITIATION, DM2_RESPONSE, decodeInitiation, decodeResponse, dm2PackageType } from '../codec/index.js';
import { type DataRepository, serveRepository } from '../repository/index.js';
import type { Dm2Answer, Dm2SessionEngine } from './session-engine.js';
import type { Dm2SessionMetrics } from './session-metrics.js';

export interface Dm2EndpointDeps {
  /** DM2_PATH. */
  path: string;
  engine: Dm2SessionEngine;
  authenticator: Dm2Authenticator;
  credentials: DmCredentialStore;
  repository: DataRepository;
  limits: Dm2Limits;
  /** Failed authentications per DevId: a DevId that failed too often is refused without a look at its credentials. */
  failures: AuthFailureLimiter;
  metrics?: Dm2SessionMetrics;
  logger: Logger;
  now?: () => number;
}

const DEV_ID_HEADER = 'omadm-devid';
/** `<DM2_PATH>?r=<token>`: a ServerURI for an EXEC's asynchronous report (see reportUri). */
const REPORT_PARAM = 'r';
const REPORT_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The ServerURI an EXEC names for its asynchronous report: the device posts the package 1 carrying its Generic Alert
 * there, and the session engine tells whoever listens which token the alert came with. Server-relative (the engine
 * sends it absolute, with the address the device reached the proxy at).
 */
export function reportUri(path: string, token: string): string {
  return `${path}?${REPORT_PARAM}=${token}`;
}

/** The token of an EXEC's report URI (its last argument), if it names one. */
export function reportTokenOf(command: readonly string[]): string | undefined {
  const uri = command[0] === 'EXEC' ? command[2] : undefined;
  const token = uri === undefined || !URL.canParse(uri, 'http://proxy') ? undefined : new URL(uri, 'http://proxy').searchParams.get(REPORT_PARAM);
  return token !== null && token !== undefined && REPORT_TOKEN.test(token) ? token : undefined;
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(`${text}\n`);
}

function send(res: ServerResponse, answer: Dm2Answer): void {
  res.writeHead(answer.status, { 'content-type': answer.contentType, 'cache-control': 'no-store' }).end(answer.body);
}

/**
 * DM 2.0 over HTTP on `DM2_PATH` of the DM listener: `POST <DM2_PATH>[?s=<session>]` takes packages 1 and 3 (by
 * Content-Type; 415 otherwise), authenticated per device by HTTP Basic or Digest (401 with a challenge, before
 * anything is read or changed); `<DM2_PATH>/repo/<token>` is the data repository. Malformed packages get 400 (413 when
 * too large) with the reason.
 */
export function createDm2Endpoint(deps: Dm2EndpointDeps): (req: IncomingMessage, res: ServerResponse, url: URL, origin: string) => Promise<void> {
  const repoPrefix = `${deps.path}/repo/`;
  return async (req, res, url, origin) => {
    if (url.pathname.startsWith(repoPrefix)) return serveRepository(deps.repository, url.pathname.slice(repoPrefix.length), req, res);
    if (url.pathname !== deps.path) return plain(res, 404, `no DM 2.0 resource at ${url.pathname}: devices post to ${deps.path}`);
    if (req.method !== 'POST') return plain(res, 405, `${req.method} is not served: DM 2.0 devices POST their packages`, { allow: 'POST' });
    const type = dm2PackageType(req.headers['content-type']);
    if (type === undefined) return plain(res, 415, `Content-Type ${req.headers['content-type'] ?? '(none)'} is no DM 2.0 package: post ${DM2_INITIATION} (package 1) or ${DM2_RESPONSE} (package 3)`);
    const devId = req.headers[DEV_ID_HEADER];
    if (typeof devId !== 'string' || devId.length === 0 || devId.length > 256 || /[\u0000-\u001f\u007f]/.test(devId)) {
      return plain(res, 400, 'the OMADM-DevID header must name the device (one value, 1-256 printable characters)');
    }
    const device = dm2Record(await deps.credentials.get(devId));
    const uri = req.url ?? url.pathname;
    const now = (deps.now ?? Date.now)();
    const lockedOut = deps.failures.lockedOut(devId, now);
    // Locked out: answered like a request without credentials (a challenge), whatever it carries; nothing is checked.
    const verdict = deps.authenticator.verify(device, { method: 'POST', uri, ...(req.headers.authorization === undefined || lockedOut ? {} : { authorization: req.headers.authorization }) });
    if (!verdict.ok) {
      if (lockedOut && req.headers.authorization !== undefined) {
        deps.metrics?.authFailure();
        deps.logger.warn({ devId }, 'DM 2.0 device locked out after repeated authentication failures');
      } else if (verdict.failed) {
        deps.metrics?.authFailure();
        if (device !== undefined) deps.failures.failed(devId, now);
        deps.logger.info({ devId, reason: verdict.reason }, 'DM 2.0 package refused: not authenticated');
      }
      // The body is not read: the connection closes rather than drain what may be a large unauthenticated upload.
      return plain(res, 401, 'authentication required', { 'www-authenticate': verdict.challenges, connection: 'close' });
    }
    deps.failures.succeeded(devId);
    const body = await readBody(req, deps.limits.maxBytes);
    if (body === undefined) return plain(res, 413, `package over the limit of ${deps.limits.maxBytes} bytes (DM_BODY_LIMIT_BYTES)`, { connection: 'close' });
    const sessionToken = url.searchParams.get('s') ?? undefined;
    const reportToken = url.searchParams.get(REPORT_PARAM) ?? undefined;
    const context = {
      origin,
      path: deps.path,
      peer: peerOf(req),
      ...(sessionToken === undefined ? {} : { sessionToken }),
      ...(reportToken !== undefined && REPORT_TOKEN.test(reportToken) ? { reportToken } : {}),
    };
    try {
      if (type === 'initiation') return send(res, await deps.engine.initiation(decodeInitiation(devId, body, deps.limits), context));
      return send(res, await deps.engine.response(devId, decodeResponse(body, deps.limits), context));
    } catch (error) {
      if (!(error instanceof Dm2DecodeError)) throw error;
      deps.logger.info({ devId, reason: error.message }, 'DM 2.0 package refused: unreadable');
      return plain(res, error.httpStatus, `${type === 'initiation' ? 'package 1' : 'package 3'} refused: ${error.message}`);
    }
  };
}

function peerOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.remotePort ?? 0}`;
}
