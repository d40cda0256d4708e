import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { DM2_INITIATION, DM2_RESPONSE } from '../../../src/omadm/v20/codec/index.js';
import type { Dm2SessionEvents } from '../../../src/omadm/v20/session/index.js';
import type { TestProxy } from '../../helpers/proxy-harness.js';
import { admin, dmUrl } from '../server/dm-test-kit.js';

export const DEVINFO = 'urn:oma:mo:oma-dm-devinfo:1.0';
export const FUMO = 'urn:oma:mo:oma-fumo:1.0';
export const SECRET = 'dm2-device-secret';
export const USER = 'dev2';

/** The proxy's DM 2.0 URL. */
export const dm2Url = (proxy: TestProxy, path = '/dm2'): string => dmUrl(proxy, path);

export async function enrol2(proxy: TestProxy, devId: string, auth: 'basic' | 'digest'): Promise<void> {
  const response = await admin(proxy, 'PUT', `/devices/${encodeURIComponent(devId)}`, { version: '2.0', auth, client: { user: USER, secret: SECRET } });
  if (response.status !== 201 && response.status !== 200) throw new Error(`PUT credentials: ${response.status} ${await response.text()}`);
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** One request on a fresh connection (a pooled one would point at a proxy that was stopped). */
export function raw(url: string, method: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        // Node joins repeated WWW-Authenticate values with ', ': keep them apart (one per challenge).
        const challenges = res.rawHeaders.filter((_, index) => index % 2 === 1 && res.rawHeaders[index - 1].toLowerCase() === 'www-authenticate');
        const headers = { ...res.headers, ...(challenges.length > 0 ? { 'www-authenticate': challenges } : {}) };
        resolve({ status: res.statusCode ?? 0, headers, body: all, text: all.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const basicAuth = (user = USER, secret = SECRET): string => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

/** The parameters of one Digest challenge value. */
export function challengeParams(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of value.replace(/^Digest\s+/i, '').matchAll(/([a-z]+)=(?:"([^"]*)"|([^\s,]+))/gi)) params[match[1].toLowerCase()] = match[2] ?? match[3];
  return params;
}

/** A Digest client (RFC 7616, qop=auth): answers the challenge it was given, counting nc up. */
export class DigestClient {
  private nc = 0;
  constructor(
    private readonly challenge: Record<string, string>,
    private readonly user = USER,
    private readonly secret = SECRET,
  ) {}

  static fromHeader(header: string | string[] | undefined, algorithm: 'SHA-256' | 'MD5' = 'SHA-256', user?: string, secret?: string): DigestClient {
    const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
    const value = values.find((candidate) => challengeParams(candidate).algorithm === algorithm);
    if (value === undefined) throw new Error(`no ${algorithm} challenge in ${JSON.stringify(header)}`);
    return new DigestClient(challengeParams(value), user, secret);
  }

  get nonce(): string {
    return this.challenge.nonce;
  }

  authorization(method: string, uri: string, nc = ++this.nc): string {
    const { realm, nonce, opaque, algorithm } = this.challenge;
    const hash = (text: string) => createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5').update(text).digest('hex');
    const cnonce = randomBytes(8).toString('hex');
    const ncText = nc.toString(16).padStart(8, '0');
    const response = hash(`${hash(`${this.user}:${realm}:${this.secret}`)}:${nonce}:${ncText}:${cnonce}:auth:${hash(`${method}:${uri}`)}`);
    return `Digest username="${this.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=${algorithm}, qop=auth, nc=${ncText}, cnonce="${cnonce}", response="${response}", opaque="${opaque}"`;
  }
}

export function package1(url: string, devId: string, body: unknown, authorization?: string, contentType = DM2_INITIATION): Promise<RawAnswer> {
  return raw(url, 'POST', { 'content-type': contentType, 'omadm-devid': devId, accept: 'application/vnd.oma.dm.request+json', ...(authorization ? { authorization } : {}) }, typeof body === 'string' ? body : JSON.stringify(body));
}

export function package3(url: string, devId: string, body: unknown, authorization?: string): Promise<RawAnswer> {
  return raw(url, 'POST', { 'content-type': DM2_RESPONSE, 'omadm-devid': devId, ...(authorization ? { authorization } : {}) }, typeof body === 'string' ? body : JSON.stringify(body));
}

export const INITIATION = {
  MOS: [
    { DDF: 'http://example.com/devinfo.ddf', MOID: DEVINFO, MIID: [''] },
    { MOID: FUMO, MIID: ['fw1'] },
  ],
  Alert: [{ AlertType: 'urn:oma:at:dm:2.0:ClientInitiatedMgmt' }],
};

/** The CMD list of a package 2. */
export function commandsOf(answer: RawAnswer): string[][] {
  if (answer.status !== 200) throw new Error(`package 2 expected, got ${answer.status}: ${answer.text}`);
  return (JSON.parse(answer.text) as { CMD: string[][] }).CMD;
}

/** Records every session event, in order. */
export function recordingEvents(): { events: Dm2SessionEvents; log: Array<[string, ...unknown[]]> } {
  const log: Array<[string, ...unknown[]]> = [];
  return {
    log,
    events: {
      commandsSent: (devId, entries) => log.push(['sent', devId, entries.map((entry) => entry.id)]),
      commandAnswered: (devId, entry, status) => void log.push(['answered', devId, entry.id, status]),
      commandLost: (devId, entry, reason) => log.push(['lost', devId, entry.id, reason]),
      commandsExpired: (devId, entries) => log.push(['expired', devId, entries.map((entry) => entry.id)]),
      genericAlert: (devId, alert) => void log.push(['alert', devId, alert]),
      devicePublished: (devId, mos) => void log.push(['published', devId, mos.map((mo) => mo.moid)]),
    },
  };
}
