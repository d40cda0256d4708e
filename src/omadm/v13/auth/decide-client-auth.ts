import type { Chal, SyncHdr } from '../codec/index.js';
import type { DmDeviceRecord } from '../../../store/dm-credential-store.js';
import { AUTH_STATUS } from './auth-types.js';
import { challengeFor, usesNonce } from './challenge.js';
import { verifyClientCred } from './verify-client-cred.js';
import { type SignedMessage, verifyMac } from './verify-mac.js';

/** What the session remembers about the device's authentication between its messages. */
export interface SessionAuthState {
  /** 212 was sent in this session: later messages need no Cred (an hmac device still signs every message). */
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
  /** The exact bytes received and their x-syncml-hmac header: what an hmac device proves itself with. */
  signed?: SignedMessage;
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
 *   hmac: every message is checked, and every answer gives a fresh NextNonce, the one the device's next mac hashes
 *   (in this session or the next): a message replayed is refused.
 * - challenge: 401 (wrong Cred or mac) or 407 (no Cred; hmac: no x-syncml-hmac header) with Chal over the device's
 *   current nonce (a fresh one, to store, only when it has none); the answer carries only Status elements, 401/407 for
 *   each command too (clients resend package 1 only then), and the session stays open for the retry.
 * - refuse: the same codes without Chal (a device the proxy does not know, or too many failures): the session ends
 *   with no command run and no tree change.
 */
export type ClientAuthDecision =
  | { kind: 'authenticated'; status: 212 | 200; chal?: Chal; nonceToClient?: string; session: SessionAuthState }
  | { kind: 'challenge'; status: 401 | 407; chal: Chal; nonceToClient?: string; session: SessionAuthState }
  | { kind: 'refuse'; status: 401 | 407; reason: 'unknown-device' | 'too-many-failures'; session: SessionAuthState };

/**
 * Pure: the same for DM 1.2 and 1.3 (authentication did not change between them). A Cred in the SyncHdr of an hmac
 * device is ignored: auth-MAC never travels in a Cred, and a Cred proves nothing about the body.
 */
export function decideClientAuth({ header, signed, device, session, nextNonce }: ClientAuthInput): ClientAuthDecision {
  const hmac = device?.auth === 'hmac';
  if (session.authenticated && !hmac) return { kind: 'authenticated', status: AUTH_STATUS.ok, session };
  const proof = hmac ? signed?.hmac : header.cred;
  const failureStatus = proof === undefined ? AUTH_STATUS.missingCredentials : AUTH_STATUS.invalidCredentials;
  if (device === undefined) return { kind: 'refuse', status: failureStatus, reason: 'unknown-device', session };
  const verdict = hmac ? verifyMac(signed, { ...device.client, nonce: device.nonces.toClient }) : verifyClientCred(header.cred, device);
  if (verdict === 'accepted') {
    const status = session.authenticated ? AUTH_STATUS.ok : AUTH_STATUS.accepted;
    const authenticated: SessionAuthState = { ...session, authenticated: true };
    if (!usesNonce(device.auth)) return { kind: 'authenticated', status, session: authenticated };
    return { kind: 'authenticated', status, chal: challengeFor(device.auth, nextNonce), nonceToClient: nextNonce, session: authenticated };
  }
  if (session.challenges >= MAX_CHALLENGES_PER_SESSION) return { kind: 'refuse', status: failureStatus, reason: 'too-many-failures', session };
  const challenged: SessionAuthState = { ...session, challenges: session.challenges + 1 };
  // A failure does not move the nonce: the challenge repeats the device's current one (a stale Cred recovers with it), so
  // a stranger's guesses cannot rotate the real device's nonce; only a device that has none gets a fresh one.
  const current = usesNonce(device.auth) ? device.nonces.toClient : undefined;
  const chal = challengeFor(device.auth, current ?? nextNonce);
  return !usesNonce(device.auth) || current !== undefined
    ? { kind: 'challenge', status: failureStatus, chal, session: challenged }
    : { kind: 'challenge', status: failureStatus, chal, nonceToClient: nextNonce, session: challenged };
}
