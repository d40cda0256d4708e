/**
 * A small scripted OMA DM 2.0 server for the simulator's own tests (node http only; independent of src/omadm/v20): it
 * checks Basic or Digest credentials (its own RFC 7616 arithmetic), answers each package 1 or 3 with the next queued
 * package 2 (else END), serves a data repository under /repo/ (GET from `repository`, PUT/POST recorded), and records
 * every request.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The JSON body, when it is JSON. */
  json?: unknown;
}

export interface Dm2ScriptOptions {
  auth?: { scheme: 'basic' | 'digest'; user: string; secret: string; algorithm?: 'MD5' | 'SHA-256' };
  /** Answer package 2 with this content type instead. */
  package2Type?: string;
}

export interface RepositoryEntry {
  status?: number;
  contentType?: string;
  body: string;
}

export class Dm2ScriptServer {
  readonly received: Recorded[] = [];
  readonly repository = new Map<string, RepositoryEntry>();
  /** Answers for PUT/POST on /repo/ paths (default 204). */
  readonly uploadAnswers = new Map<string, { status: number; headers?: Record<string, string> }>();
  private readonly script: string[][][] = [];
  private readonly nonces = new Set<string>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly options: Dm2ScriptOptions,
  ) {}

  static async start(options: Dm2ScriptOptions = {}): Promise<Dm2ScriptServer> {
    let self: Dm2ScriptServer | undefined;
    const server = createServer((req, res) => void self!.handle(req, res));
    self = new Dm2ScriptServer(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get url(): string {
    return `${this.origin}/dm2`;
  }

  /** One package 2 per call, sent in order as answers to the device's packages 1 and 3. */
  queue(...commands: string[][]): void {
    this.script.push(commands);
  }

  /** The DM packages (packages 1 and 3) received, in order. */
  packages(): Recorded[] {
    return this.received.filter((request) => request.method === 'POST' && !request.path.startsWith('/repo/'));
  }

  uploads(): Recorded[] {
    return this.received.filter((request) => request.method !== 'GET' && request.path.startsWith('/repo/'));
  }

  waitFor(match: (request: Recorded) => boolean, timeoutMs = 10_000): Promise<Recorded> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.received.find(match);
        if (!found) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching request within ${timeoutMs} ms; got ${this.received.map((r) => `${r.method} ${r.path} ${r.body}`).join('\n')}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '';
    const method = req.method ?? '';
    if (!this.authorised(req, res)) return;
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    this.received.push({ method, path, headers: req.headers, body, ...(json !== undefined ? { json } : {}) });
    for (const wake of this.waiters) wake();
    if (path.startsWith('/repo/')) {
      if (method === 'GET') {
        const entry = this.repository.get(path);
        if (!entry) return void res.writeHead(404).end();
        return void res.writeHead(entry.status ?? 200, { 'content-type': entry.contentType ?? 'application/json' }).end(entry.body);
      }
      const answer = this.uploadAnswers.get(path) ?? { status: 204 };
      return void res.writeHead(answer.status, answer.headers).end();
    }
    if (method !== 'POST') return void res.writeHead(405).end();
    const next = this.script.shift() ?? [['END']];
    res.writeHead(200, { 'content-type': this.options.package2Type ?? 'application/vnd.oma.dm.request+json' }).end(JSON.stringify({ CMD: next }));
  }

  private authorised(req: IncomingMessage, res: ServerResponse): boolean {
    const auth = this.options.auth;
    if (!auth) return true;
    const header = req.headers.authorization ?? '';
    if (auth.scheme === 'basic') {
      if (header === `Basic ${Buffer.from(`${auth.user}:${auth.secret}`).toString('base64')}`) return true;
      res.writeHead(401, { 'www-authenticate': 'Basic realm="dm2"' }).end();
      return false;
    }
    const algorithm = auth.algorithm ?? 'SHA-256';
    const params = Object.fromEntries([...header.matchAll(/([\w-]+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3]]));
    if (header.startsWith('Digest ') && this.nonces.has(params.nonce) && params.algorithm === algorithm && params.username === auth.user) {
      const h = (text: string) => createHash(algorithm === 'MD5' ? 'md5' : 'sha256').update(text).digest('hex');
      const ha1 = h(`${auth.user}:dm2:${auth.secret}`);
      const ha2 = h(`${req.method}:${params.uri}`);
      if (params.uri === req.url && params.response === h(`${ha1}:${params.nonce}:${params.nc}:${params.cnonce}:auth:${ha2}`)) return true;
    }
    const nonce = randomBytes(8).toString('hex');
    this.nonces.add(nonce);
    res.writeHead(401, { 'www-authenticate': `Basic realm="dm2", Digest realm="dm2", qop="auth", algorithm=${algorithm}, nonce="${nonce}", opaque="o1"` }).end();
    return false;
  }
}
