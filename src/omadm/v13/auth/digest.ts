import { createHash } from 'node:crypto';

/**
 * Credential data of SyncML DM authentication, as bytes before the outer base64 of Cred/Data.
 * basic: `user:secret`; md5: `H(B64(H(user:secret)) ":" nonce)` with H = MD5 and nonce = the base64-DECODED NextNonce
 * bytes (OMA DM RepPro; libdmclient decodes NextNonce into a byte buffer before hashing); hmac (the x-syncml-hmac mac):
 * `H(B64(H(user:secret)) ":" nonce ":" B64(H(body)))` over the exact body bytes (OMA DM Security 5.1.4.2). Text is UTF-8.
 */

const md5 = (...parts: Array<string | Buffer>): Buffer => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** The nonce bytes of a NextNonce value (base64 text); an absent or empty NextNonce is the empty nonce. */
export function nonceBytes(nextNonce: string | undefined): Buffer {
  return Buffer.from((nextNonce ?? '').trim(), 'base64');
}

export function basicCredentialBytes(user: string, secret: string): Buffer {
  return Buffer.from(`${user}:${secret}`, 'utf8');
}

/** B64(H(user:secret)): the shared key both md5 and hmac hash. */
const hashedCredentials = (user: string, secret: string): string => md5(Buffer.from(`${user}:${secret}`, 'utf8')).toString('base64');

export function md5CredentialBytes(user: string, secret: string, nextNonce: string | undefined): Buffer {
  return md5(hashedCredentials(user, secret), ':', nonceBytes(nextNonce));
}

export function hmacBytes(user: string, secret: string, nextNonce: string | undefined, body: Buffer): Buffer {
  return md5(hashedCredentials(user, secret), ':', nonceBytes(nextNonce), ':', md5(body).toString('base64'));
}

/** Cred/Data text: the credential bytes in base64. */
export function basicCredentialData(user: string, secret: string): string {
  return basicCredentialBytes(user, secret).toString('base64');
}

export function md5CredentialData(user: string, secret: string, nextNonce: string | undefined): string {
  return md5CredentialBytes(user, secret, nextNonce).toString('base64');
}

/** The mac value of an x-syncml-hmac header. */
export function hmacData(user: string, secret: string, nextNonce: string | undefined, body: Buffer): string {
  return hmacBytes(user, secret, nextNonce, body).toString('base64');
}
