/** SyncML RepPro status codes the simulated device answers with (reference §1.10). */
export const DM_STATUS = {
  ok: 200,
  accepted: 202,
  authAccepted: 212,
  chunkAccepted: 213,
  notExecuted: 215,
  atomicRolledBack: 216,
  badRequest: 400,
  invalidCredentials: 401,
  notFound: 404,
  notAllowed: 405,
  optionalFeatureNotSupported: 406,
  missingCredentials: 407,
  tooLarge: 413,
  alreadyExists: 418,
  sizeMismatch: 424,
  permissionDenied: 425,
  commandFailed: 500,
  notImplemented: 501,
  atomicFailed: 507,
} as const;

export const isSuccess = (code: number): boolean => code >= 200 && code < 300;
