export { authScheme, parseAuthParams } from './auth-params.js';
export { basicChallenge, basicMatches } from './basic.js';
export { DIGEST_ALGORITHMS, type DigestAlgorithm, type DigestResponse, digestChallenges, digestMatches, digestResponse, expectedDigest } from './digest.js';
export { Dm2Authenticator, type HttpAuthRequest, type HttpAuthVerdict } from './http-auth.js';
export { DigestNonces, type NonceState } from './nonces.js';
