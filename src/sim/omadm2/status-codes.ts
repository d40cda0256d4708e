/** DM 2.0 status codes (`sc` in package 3) the simulated device answers with (reference §2, TS-0005 DM 2.0 tables). */
export const DM2_STATUS = {
  ok: 200,
  accepted: 202,
  noContent: 204,
  notModified: 304,
  badRequest: 400,
  forbidden: 403,
  notFound: 404,
  notAllowed: 405,
  notAcceptable: 406,
  unsupportedMediaType: 415,
  serverUriError: 419,
  internalError: 500,
  notImplemented: 501,
} as const;
