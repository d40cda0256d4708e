/**
 * Both directions of SyncML authentication as a device does them: its own Cred (or x-syncml-hmac header) over the
 * NextNonce the server gave, and the check of the server's Cred (or signature) over the NextNonce the device gave
 * (reference §1.11).
 */
import { type Cred, type SyncHdr } from '../../omadm/v13/codec/index.js';
import {
  SYNCML_AUTH_TYPES, type SignedMessage, basicCredentialData, challengeFor, freshNonce, hmacHeaderFor, md5CredentialData, usesNonce, verifyClientCred,
  verifyMac,
} from '../../omadm/v13/auth/index.js';
import type { Chal } from '../../omadm/v13/codec/index.js';
import type { DmSimAuth } from './options.js';

/** What the device remembers between sessions. */
export interface DeviceAuthState {
  /** The type the device sends (a Chal may ask for another). */
  auth: DmSimAuth;
  /** The last NextNonce the server gave: the device's next md5 Cred or hmac mac is computed over it. */
  serverNonce?: string;
  /** The last NextNonce the device gave the server: the server's md5 Cred or hmac mac must be computed over it. */
  nonceToServer?: string;
}

/** The Cred of the device's SyncHdr; none for hmac (its proof is the header, deviceHmac). */
export function deviceCred(state: DeviceAuthState, user: string, secret: string): Cred | undefined {
  if (state.auth === 'hmac') return undefined;
  const data = state.auth === 'basic' ? basicCredentialData(user, secret) : md5CredentialData(user, secret, state.serverNonce);
  return { meta: { type: SYNCML_AUTH_TYPES[state.auth], format: 'b64' }, data };
}

/** The x-syncml-hmac header of a message the device posts, over its exact body. */
export function deviceHmac(state: DeviceAuthState, user: string, secret: string, body: Buffer): string {
  return hmacHeaderFor({ user, secret, nonce: state.serverNonce }, body);
}

export interface ServerCheck {
  code: 200 | 212 | 401 | 407;
  chal?: Chal;
  /** md5, hmac: the NextNonce the Chal gives; the server's next Cred or mac is computed over it once the Status has been sent. */
  nonceToServer?: string;
}

/**
 * The device's verdict on the server's answer: on its SyncHdr Cred, or with hmac on the x-syncml-hmac header of the
 * exact answer bytes (`signed`; every answer is checked). Accepted: 212 the first time (`already`: accepted before in
 * this session: 200), with a fresh NextNonce for md5 and hmac; refused: 401/407 with a Chal and a fresh nonce. The
 * nonce counts only once the Status carrying it reaches the server (the caller sets `state.nonceToServer` when it
 * sends it): a session that ends before keeps the old one.
 */
export function checkServer(
  header: SyncHdr,
  signed: SignedMessage,
  state: DeviceAuthState,
  server: { id: string; secret: string },
  already = false,
): ServerCheck {
  // The server's Cred is checked exactly as a server checks a client's: the same rule with the roles swapped.
  const verdict = state.auth === 'hmac'
    ? verifyMac(signed, { user: server.id, secret: server.secret, nonce: state.nonceToServer })
    : verifyClientCred(header.cred, {
      devId: header.source.locUri,
      auth: state.auth,
      client: { user: server.id, secret: server.secret },
      server: { id: '', secret: '' },
      nonces: state.nonceToServer === undefined ? {} : { toClient: state.nonceToServer },
    });
  const nonce = freshNonce();
  const given = usesNonce(state.auth) ? { nonceToServer: nonce } : {};
  if (verdict === 'accepted') {
    const code = already ? 200 : 212;
    return usesNonce(state.auth) ? { code, chal: challengeFor(state.auth, nonce), ...given } : { code };
  }
  return { code: verdict === 'missing' ? 407 : 401, chal: challengeFor(state.auth, nonce), ...given };
}
