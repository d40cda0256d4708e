/** A request that cannot be served: becomes a response with this RSC and `m2m:dbg`. */
export class RequestError extends Error {
  constructor(readonly rsc: number, readonly dbg: string) {
    super(dbg);
    this.name = 'RequestError';
  }
}
