import type { Chal, SyncHdr } from '../codec/index.js';
import type { DmDeviceRecord } from '../../../store/dm-credential-store.js';
import { AUTH_STATUS } from './auth-types.js';
import { challengeFor } from './challenge.js';
import { verifyClientCred } from './verify-client-cred.js';

/** What the session remembers about the device's authentication between its messages. */
export interface SessionAuthState {
  /** 212 was sent in this session: later messages need no Cred. */
  authenticated: boolean;
  /** Challenges sent in this session. */
  challenges: number;
}

export const NEW_SESSION_AUTH: SessionAuthState = { authenticated: false, challenges: 0 };

/**
 * One challenge for a device that had none or a stale nonce, one more with a fresh nonce in case the first crossed
 * another session's: a third failure in one session is a wrong secret.
 */
export const MAX_CHALLENGES_PER_SESSION = 2;

export interface ClientAuthInput {
  header: SyncHdr;
  /** The device's credentials (stored, or given by the enrolment rule); undefined: a device the proxy does not know. */
  device: DmDeviceRecord | undefined;
  session: SessionAuthState;
  /** A fresh random NextNonce (freshNonce()), used when the answer carries one. */
  nextNonce: string;
}

/**
 * The answer to a device's SyncHdr. `status` goes into the header Status; `chal`, when present, into that Status too;
 * `nonceToClient`, when present, must be stored for the device (direction toClient) before the answer is sent;
 * `session` is the state to keep for the session's next message.
 * - authenticated: run the device's commands. 212 the first time (md5: with the NextNonce for the next session), then 200.
 * - challenge: 401 (wrong Cred) or 407 (no Cred) with Chal over the device's current nonce (a fresh one, to store, only
 *   when it has none); the answer carries only Status elements, 401/407 for each
 *   command too (clients resend package 1 only then), and the session stays open for the retry.
 * - refuse: the same codes without Chal (a device the proxy does not know, or too many failures): the session ends
 *   with no command run and no tree change.
 */
export type ClientAuthDecision =
  | { kind: 'authenticated'; status: 212 | 200; chal?: Chal; nonceToClient?: string; session: SessionAuthState }
  | { kind: 'challenge'; status: 401 | 407; chal: Chal; nonceToClient?: string; session: SessionAuthState }
  | { kind: 'refuse'; status: 401 | 407; reason: 'unknown-device' | 'too-many-failures'; session: SessionAuthState };

/** Pure: the same for DM 1.2 and 1.3 (authentication did not change between them). */
export function decideClientAuth({ header, device, session, nextNonce }: ClientAuthInput): ClientAuthDecision {
  if (session.authenticated) return { kind: 'authenticated', status: AUTH_STATUS.ok, session };
  const failureStatus = header.cred === undefined ? AUTH_STATUS.missingCredentials : AUTH_STATUS.invalidCredentials;
  if (device === undefined) return { kind: 'refuse', status: failureStatus, reason: 'unknown-device', session };
  const nonceToClient = device.auth === 'md5' ? nextNonce : undefined;
  if (verifyClientCred(header.cred, device) === 'accepted') {
    const authenticated: SessionAuthState = { ...session, authenticated: true };
    if (nonceToClient === undefined) return { kind: 'authenticated', status: AUTH_STATUS.accepted, session: authenticated };
    return { kind: 'authenticated', status: AUTH_STATUS.accepted, chal: challengeFor('md5', nonceToClient), nonceToClient, session: authenticated };
  }
  if (session.challenges >= MAX_CHALLENGES_PER_SESSION) return { kind: 'refuse', status: failureStatus, reason: 'too-many-failures', session };
  const challenged: SessionAuthState = { ...session, challenges: session.challenges + 1 };
  // A failure does not move the nonce: the challenge repeats the device's current one (a stale Cred recovers with it), so
  // a stranger's guesses cannot rotate the real device's nonce; only a device that has none gets a fresh one.
  const current = device.auth === 'md5' ? device.nonces.toClient : undefined;
  const chal = challengeFor(device.auth, current ?? nextNonce);
  return nonceToClient === undefined || current !== undefined
    ? { kind: 'challenge', status: failureStatus, chal, session: challenged }
    : { kind: 'challenge', status: failureStatus, chal, nonceToClient, session: challenged };
}
