/** A request the LwM2M Server refuses: answered with `code` and `message` as CoAP diagnostic payload. */
export class Lwm2mRequestError extends Error {
  constructor(
    readonly code: '4.00' | '4.03' | '4.04' | '4.05' | '4.12' | '4.15',
    message: string,
  ) {
    super(message);
  }
}
