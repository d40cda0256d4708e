import type { DmAuthType } from '../../../store/dm-credential-store.js';

/** Cred/Chal Meta Type of each authentication the proxy speaks at the SyncML level. */
export const SYNCML_AUTH_TYPES: Readonly<Record<DmAuthType, string>> = {
  basic: 'syncml:auth-basic',
  md5: 'syncml:auth-md5',
};

/** The DmAuthType a Meta Type names (case-insensitively); undefined for HMAC, X509... and anything unknown. */
export function authTypeOf(metaType: string | undefined): DmAuthType | undefined {
  const wanted = metaType?.trim().toLowerCase();
  if (wanted === SYNCML_AUTH_TYPES.basic) return 'basic';
  if (wanted === SYNCML_AUTH_TYPES.md5) return 'md5';
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
