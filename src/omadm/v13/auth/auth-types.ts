import type { DmAuthType } from '../../../store/dm-credential-store.js';

/** Cred/Chal Meta Type of each authentication the proxy speaks at the SyncML level (hmac: only in a Chal, never a Cred). */
export const SYNCML_AUTH_TYPES: Readonly<Record<DmAuthType, string>> = {
  basic: 'syncml:auth-basic',
  md5: 'syncml:auth-md5',
  hmac: 'syncml:auth-MAC',
};

/** The DmAuthType a Meta Type names (case-insensitively); undefined for X509... and anything unknown. */
export function authTypeOf(metaType: string | undefined): DmAuthType | undefined {
  const wanted = metaType?.trim().toLowerCase();
  for (const auth of ['basic', 'md5', 'hmac'] as const) if (wanted === SYNCML_AUTH_TYPES[auth].toLowerCase()) return auth;
  return undefined;
}

/** SyncML status codes of authentication (header Status). */
export const AUTH_STATUS = {
  /** Accepted for the rest of the session. */
  accepted: 212,
  ok: 200,
  invalidCredentials: 401,
  missingCredentials: 407,
} as const;
