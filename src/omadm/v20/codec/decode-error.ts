/** A package the proxy cannot read: the HTTP status to answer (400 malformed, 413 too large, 415 wrong type) and why. */
export class Dm2DecodeError extends Error {
  constructor(
    readonly httpStatus: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'Dm2DecodeError';
  }
}
