/**
 * Both directions of SyncML authentication as a device does them: its own Cred over the NextNonce the server gave,
 * and the check of the server's Cred over the NextNonce the device gave (reference §1.11).
 */
import { type Cred, type SyncHdr } from '../../omadm/v13/codec/index.js';
import { SYNCML_AUTH_TYPES, basicCredentialData, challengeFor, freshNonce, md5CredentialData, verifyClientCred } from '../../omadm/v13/auth/index.js';
import type { Chal } from '../../omadm/v13/codec/index.js';
import type { DmSimAuth } from './options.js';

/** What the device remembers between sessions. */
export interface DeviceAuthState {
  /** The type the device sends (a Chal may ask for another). */
  auth: DmSimAuth;
  /** The last NextNonce the server gave: the device's next md5 Cred is computed over it. */
  serverNonce?: string;
  /** The last NextNonce the device gave the server: the server's md5 Cred must be computed over it. */
  nonceToServer?: string;
}

export function deviceCred(state: DeviceAuthState, user: string, secret: string): Cred {
  const data = state.auth === 'basic' ? basicCredentialData(user, secret) : md5CredentialData(user, secret, state.serverNonce);
  return { meta: { type: SYNCML_AUTH_TYPES[state.auth], format: 'b64' }, data };
}

export interface ServerCheck {
  code: 200 | 212 | 401 | 407;
  chal?: Chal;
  /** md5: the NextNonce the Chal gives; the server's next Cred is computed over it once the Status has been sent. */
  nonceToServer?: string;
}

/**
 * The device's verdict on the server's SyncHdr: 212 (with a fresh NextNonce for the next session over md5), or 401/407
 * with a Chal and a fresh nonce. The nonce counts only once the Status carrying it reaches the server (the caller sets
 * `state.nonceToServer` when it sends it): a session that ends before keeps the old one.
 */
export function checkServer(header: SyncHdr, state: DeviceAuthState, server: { id: string; secret: string }): ServerCheck {
  // The server's Cred is checked exactly as a server checks a client's: the same rule with the roles swapped.
  const verdict = verifyClientCred(header.cred, {
    devId: header.source.locUri,
    auth: state.auth,
    client: { user: server.id, secret: server.secret },
    server: { id: '', secret: '' },
    nonces: state.nonceToServer === undefined ? {} : { toClient: state.nonceToServer },
  });
  const nonce = freshNonce();
  const given = state.auth === 'md5' ? { nonceToServer: nonce } : {};
  if (verdict === 'accepted') return state.auth === 'md5' ? { code: 212, chal: challengeFor('md5', nonce), ...given } : { code: 212 };
  return { code: verdict === 'missing' ? 407 : 401, chal: challengeFor(state.auth, nonce), ...given };
}
