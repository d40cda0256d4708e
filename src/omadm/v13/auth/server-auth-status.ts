import type { Status } from '../codec/index.js';
import type { DmAuthType } from '../../../store/dm-credential-store.js';
import { AUTH_STATUS, authTypeOf } from './auth-types.js';

/**
 * What the device's Status for the proxy's SyncHdr says about the proxy's Cred.
 * - session: 212, no more server Cred this session;
 * - message: 200, this message accepted; the next message carries the Cred again;
 * - challenged: 401/407 with a Chal of a type the proxy speaks: resend the Cred (over `nonceToServer` for md5);
 * - refused: anything else (libdmclient answers 0 to a header without Cred, 401 without Chal...): the device runs none
 *   of the proxy's commands.
 * `nonceToServer`, when present, must be stored for the device (direction toServer): the proxy's next md5 Cred uses it.
 */
export interface ServerAuthOutcome {
  verdict: 'session' | 'message' | 'challenged' | 'refused';
  nonceToServer?: string;
  /** challenged: the type the device asks for (it may differ from the device's configured one). */
  requested?: DmAuthType;
}

export function serverAuthOutcome(headerStatus: Status): ServerAuthOutcome {
  const nonce = headerStatus.chal?.meta.nextNonce;
  const withNonce = (verdict: ServerAuthOutcome['verdict']): ServerAuthOutcome => (nonce === undefined ? { verdict } : { verdict, nonceToServer: nonce });
  switch (headerStatus.data) {
    case AUTH_STATUS.accepted:
      return withNonce('session');
    case AUTH_STATUS.ok:
      return withNonce('message');
    case AUTH_STATUS.invalidCredentials:
    case AUTH_STATUS.missingCredentials:
    {
      const requested = authTypeOf(headerStatus.chal?.meta.type);
      return requested === undefined ? withNonce('refused') : { ...withNonce('challenged'), requested };
    }
    default:
      return withNonce('refused');
  }
}
