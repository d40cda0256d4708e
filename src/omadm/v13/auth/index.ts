/** SyncML DM 1.2/1.3 authentication: client Cred and HMAC checks, challenges, the server's Cred and signature, and the enrolment rule. */
export { AUTH_STATUS, SYNCML_AUTH_TYPES, authTypeOf } from './auth-types.js';
export { NONCE_BYTES, challengeFor, freshNonce, usesNonce } from './challenge.js';
export {
  type ClientAuthDecision, type ClientAuthInput, MAX_CHALLENGES_PER_SESSION, NEW_SESSION_AUTH, type SessionAuthState, decideClientAuth,
} from './decide-client-auth.js';
export { sameBytes } from '../../common/constant-time.js';
export { basicCredentialData, hmacData, md5CredentialData, nonceBytes } from './digest.js';
export { type EnrolmentRule, type EnrolmentSettings, MIN_ENROL_SECRET_LENGTH, enrolmentRule } from './enrolment.js';
export { type GlobMatcher, globMatcher } from './glob-pattern.js';
export { HMAC_HEADER, type HmacHeader, type HmacKey, hmacHeaderFor, parseHmacHeader } from './hmac-header.js';
export { serverCredFor, serverHmacKey } from './server-cred.js';
export { type ServerAuthOutcome, serverAuthOutcome } from './server-auth-status.js';
export { type CredVerdict, verifyClientCred } from './verify-client-cred.js';
export { type MacVerdict, type SignedMessage, verifyMac } from './verify-mac.js';
