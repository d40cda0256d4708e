/** How far a pending operation got: the first three are unfinished, the rest final. */
export const PENDING_STATES = ['queued', 'sent', 'accepted', 'completed', 'failed', 'expired', 'withdrawn'] as const;
export type PendingState = (typeof PENDING_STATES)[number];
export const UNFINISHED_STATES: readonly PendingState[] = ['queued', 'sent', 'accepted'];

/** Where the final response of a non-blocking asynchronous request still has to go. */
export interface PendingNotification {
  /** `X-M2M-RTU` targets not yet told. */
  targets: string[];
  /** Delivery attempts made so far (per target list, not per target). */
  attempts: number;
  /** Epoch ms of the next attempt. */
  nextAttemptAt: number;
}

/**
 * A oneM2M request whose device work may complete later (a sleeping device, an accepted Execute) or whose answer goes
 * to a `<request>` resource and notification targets. Everything is JSON; `plan` and `response` are the core's.
 */
export interface PendingOperation {
  id: string;
  /** X-M2M-Origin of the request. */
  originator: string;
  /** ri of the targeted resource. */
  target: string;
  /** oneM2M operation: `create`, `retrieve`, `update`, `delete`. */
  operation: string;
  /** What to do, as data: the request primitive (to run it again while nothing was sent) and the adapter's resume data. */
  plan: unknown;
  /** Epoch ms: commands still queued then are withdrawn unsent; an accepted operation fails without a terminal state. */
  deadline: number;
  state: PendingState;
  /** The final response primitive, once the state is final. */
  response?: unknown;
  /** ri of the `<request>` resource of a non-blocking request. */
  requestRi?: string;
  notification?: PendingNotification;
  /** Epoch ms when the record (and its `<request>`) is removed. */
  keepUntil: number;
  /** Epoch ms when the request arrived. */
  createdAt: number;
}

/**
 * The pending operations' persistence. Every call is atomic; a value read is a copy. Implementations keep every promise
 * stated here (contract suite: test/store/contracts/pending-operation-store.contract.ts).
 */
export interface PendingOperationStore {
  /** Inserts or replaces the operation with this id. */
  put(operation: PendingOperation): Promise<void>;
  get(id: string): Promise<PendingOperation | undefined>;
  /** The operation whose `<request>` resource has this ri. */
  byRequest(requestRi: string): Promise<PendingOperation | undefined>;
  /** True when there was one to delete. */
  delete(id: string): Promise<boolean>;
  /** Operations in an unfinished state, or final with a notification still to deliver; oldest (createdAt, then id) first. */
  unfinished(): Promise<PendingOperation[]>;
  /** Operations whose keepUntil is at or before `time`, earliest first. */
  expiringBy(time: number): Promise<PendingOperation[]>;
  /** The earliest keepUntil stored; undefined when there is no operation. */
  nextExpiry(): Promise<number | undefined>;
}
