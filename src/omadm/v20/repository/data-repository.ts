import { randomBytes } from 'node:crypto';

/** Data moving through the repository: an HTTP body and its Content-Type. */
export interface RepositoryData {
  contentType: string;
  body: Buffer;
}

export interface RepositoryLimits {
  /** How long a URI stays usable unless the caller names another time (DM2_REPO_TTL_S). */
  ttlMs: number;
  /** Largest body a device may PUT/POST (DM_MAX_OBJ_SIZE). */
  maxUploadBytes: number;
  /** Bytes of offered data held at once (DM2_REPO_MAX_BYTES): an offer past it is refused. */
  maxHeldBytes: number;
  /** URIs open at once (offered or expected). */
  maxOpen: number;
}

/** The repository holds as much as it may: nothing was offered or expected. */
export class RepositoryFullError extends Error {}

/** An expected upload did not come before its URI expired (or the URI was withdrawn). */
export class RepositoryExpiredError extends Error {}

/** What the repository answers a device's request on one of its URIs. */
export type RepositoryAnswer =
  | { status: 200; data: RepositoryData }
  | { status: 204 }
  | { status: 404 | 405 | 410 | 413; reason: string; allow?: string };

interface Offered {
  kind: 'offer';
  devId: string;
  data: RepositoryData;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

interface Expected {
  kind: 'expect';
  devId: string;
  expiresAt: number;
  timer: NodeJS.Timeout;
  resolve(data: RepositoryData): void;
  reject(error: Error): void;
}

/** A multi-use URI a SUB names: each change the device PUTs/POSTs there is delivered, up to `remaining` of them. */
interface Subscribed {
  kind: 'subscribe';
  devId: string;
  expiresAt: number;
  timer: NodeJS.Timeout;
  remaining: number;
  deliver(data: RepositoryData): void;
}

/** Reports one subscription URI takes at most: a device reporting more gets 410 (its SUB is over). */
export const MAX_REPORTS_PER_SUBSCRIPTION = 100;

/** A URI that was used or expired: asked again, it answers 410 until `forgetAt`, 404 afterwards. */
interface Gone {
  why: string;
  forgetAt: number;
}

/** Tombstones kept at most per open URI allowed (the oldest go first). */
const GONE_PER_OPEN = 4;

/**
 * The DM 2.0 data repository the proxy hosts under `<DM2_PATH>/repo/`: single-use URIs with 192 random bits, each
 * expiring after its time to live. The DM 2.0 adapter uses two calls:
 * - `offer(devId, data)` -> a path to put in HGET (the device GETs it once; Create and Update reach the device so);
 * - `expect(devId)` -> `{url, received}`: a path to put in HPUT/HPOST; `received` resolves with the first body the
 *   device PUTs/POSTs there, or rejects with RepositoryExpiredError when none comes in time;
 * - `subscribe(devId, deliver)` -> a path to put in SUB, the one kind of URI used more than once (bounded reports).
 * Paths are server-relative (`/dm2/repo/<token>`): the session engine makes every server-relative argument of a
 * command absolute with the address the device reached the proxy at. Held in memory and bounded (bytes and URIs); a
 * restart forgets them (the device's HGET then gets 404, which it reports as 419 ServerURI Error).
 */
export class DataRepository {
  private readonly live = new Map<string, Offered | Expected | Subscribed>();
  /** In the order they went, so by forgetAt (every tombstone lives for ttlMs). */
  private readonly gone = new Map<string, Gone>();
  private heldBytes = 0;

  constructor(
    /** Where the repository's URIs live: `<DM2_PATH>/repo`. */
    readonly basePath: string,
    private readonly limits: RepositoryLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Serves `data` once at a new URI (its server-relative path). Throws RepositoryFullError when it would hold too much. */
  offer(devId: string, data: RepositoryData, ttlMs = this.limits.ttlMs): string {
    if (this.heldBytes + data.body.length > this.limits.maxHeldBytes) {
      throw new RepositoryFullError(`the DM 2.0 repository holds ${this.heldBytes} bytes; ${data.body.length} more would pass ${this.limits.maxHeldBytes} (DM2_REPO_MAX_BYTES)`);
    }
    const token = this.newToken();
    this.heldBytes += data.body.length;
    this.live.set(token, { kind: 'offer', devId, data, expiresAt: this.now() + ttlMs, timer: this.expireLater(token, ttlMs) });
    return this.pathOf(token);
  }

  /** A new URI the device may PUT or POST data to once. Throws RepositoryFullError when too many URIs are open. */
  expect(devId: string, ttlMs = this.limits.ttlMs): { url: string; received: Promise<RepositoryData> } {
    const token = this.newToken();
    const received = new Promise<RepositoryData>((resolve, reject) => {
      this.live.set(token, { kind: 'expect', devId, expiresAt: this.now() + ttlMs, timer: this.expireLater(token, ttlMs), resolve, reject });
    });
    // Nobody may wait on it (the command was withdrawn): an expiry is then no unhandled rejection.
    received.catch(() => undefined);
    return { url: this.pathOf(token), received };
  }

  /**
   * A new URI for a SUB: every body the device PUTs or POSTs there (at most `maxReports`, each within the upload limit)
   * goes to `deliver`, until `withdraw` or the time to live. Throws RepositoryFullError when too many URIs are open.
   */
  subscribe(devId: string, deliver: (data: RepositoryData) => void, ttlMs = this.limits.ttlMs, maxReports = MAX_REPORTS_PER_SUBSCRIPTION): string {
    const token = this.newToken();
    this.live.set(token, { kind: 'subscribe', devId, expiresAt: this.now() + ttlMs, timer: this.expireLater(token, ttlMs), remaining: maxReports, deliver });
    return this.pathOf(token);
  }

  /** The URI is no longer needed (its request ended): it answers 410 from now on; an expectation rejects. */
  withdraw(url: string): void {
    const token = url.slice(url.lastIndexOf('/') + 1);
    this.close(token, 'withdrawn');
  }

  /** Offered bytes held and URIs open now (for health and tests). */
  usage(): { heldBytes: number; open: number } {
    return { heldBytes: this.heldBytes, open: this.live.size };
  }

  /** A device's request on `<basePath>/<token>`; `body` is read only for an expected upload (undefined: over maxUploadBytes). */
  async answer(method: string, token: string, readUpload: (limit: number) => Promise<RepositoryData | undefined>): Promise<RepositoryAnswer> {
    this.forgetOldTombstones();
    const gone = this.gone.get(token);
    if (gone !== undefined) return { status: 410, reason: `this repository URI is ${gone.why}: each one serves a single request` };
    const entry = this.live.get(token);
    if (entry === undefined) return { status: 404, reason: 'no such repository URI' };
    if (entry.kind === 'offer') {
      if (method !== 'GET' && method !== 'HEAD') return { status: 405, reason: `${method} is not served here: this URI holds data for an HGET`, allow: 'GET' };
      if (method === 'HEAD') return { status: 200, data: entry.data };
      this.close(token, 'used');
      return { status: 200, data: entry.data };
    }
    if (method !== 'PUT' && method !== 'POST') return { status: 405, reason: `${method} is not served here: this URI waits for an HPUT, HPOST or subscription report`, allow: 'PUT, POST' };
    const upload = await readUpload(this.limits.maxUploadBytes);
    if (upload === undefined) return { status: 413, reason: `upload over the limit of ${this.limits.maxUploadBytes} bytes (DM_MAX_OBJ_SIZE); the URI stays open` };
    if (entry.kind === 'subscribe') {
      if (this.live.get(token) !== entry) return { status: 410, reason: 'this subscription ended meanwhile' };
      if (--entry.remaining <= 0) this.close(token, 'used up (its reports are bounded)');
      entry.deliver(upload);
      return { status: 204 };
    }
    // Two uploads raced while the body was read: the first one to finish wins.
    if (this.live.get(token) !== entry) return { status: 410, reason: 'this repository URI was used meanwhile' };
    this.close(token, 'used');
    entry.resolve(upload);
    return { status: 204 };
  }

  /** Ends every URI (the proxy stops): expectations reject. */
  close(): void;
  close(token: string, why: string): void;
  close(token?: string, why = 'closed'): void {
    if (token === undefined) {
      for (const key of [...this.live.keys()]) this.close(key, why);
      return;
    }
    const entry = this.live.get(token);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.live.delete(token);
    if (entry.kind === 'offer') this.heldBytes -= entry.data.body.length;
    else if (entry.kind === 'expect' && why !== 'used') entry.reject(new RepositoryExpiredError(`no upload came to ${this.pathOf(token)} (${why})`));
    this.gone.set(token, { why, forgetAt: this.now() + this.limits.ttlMs });
    if (this.gone.size > GONE_PER_OPEN * this.limits.maxOpen) this.gone.delete(this.gone.keys().next().value!);
  }

  private newToken(): string {
    this.forgetOldTombstones();
    if (this.live.size >= this.limits.maxOpen) throw new RepositoryFullError(`${this.live.size} DM 2.0 repository URIs are open (at most ${this.limits.maxOpen})`);
    return randomBytes(24).toString('base64url');
  }

  private expireLater(token: string, ttlMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.close(token, 'expired'), ttlMs);
    timer.unref();
    return timer;
  }

  private forgetOldTombstones(): void {
    const now = this.now();
    for (const [token, gone] of this.gone) {
      if (gone.forgetAt > now) break;
      this.gone.delete(token);
    }
  }

  private pathOf(token: string): string {
    return `${this.basePath}/${token}`;
  }
}
