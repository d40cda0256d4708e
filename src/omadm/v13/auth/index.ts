/** SyncML DM 1.2/1.3 authentication: client Cred checks, challenges, the server's Cred, and the enrolment rule. */
export { AUTH_STATUS, SYNCML_AUTH_TYPES, authTypeOf } from './auth-types.js';
export { NONCE_BYTES, challengeFor, freshNonce } from './challenge.js';
export {
  type ClientAuthDecision, type ClientAuthInput, MAX_CHALLENGES_PER_SESSION, NEW_SESSION_AUTH, type SessionAuthState, decideClientAuth,
} from './decide-client-auth.js';
export { sameBytes } from './constant-time.js';
export { basicCredentialData, md5CredentialData, nonceBytes } from './digest.js';
export { type EnrolmentRule, type EnrolmentSettings, MIN_ENROL_SECRET_LENGTH, enrolmentRule } from './enrolment.js';
export { type GlobMatcher, globMatcher } from './glob-pattern.js';
export { serverCredFor } from './server-cred.js';
export { type ServerAuthOutcome, serverAuthOutcome } from './server-auth-status.js';
export { type CredVerdict, verifyClientCred } from './verify-client-cred.js';
