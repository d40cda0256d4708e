/** A request the binding rejects before it reaches the dispatcher: its RSC and the `m2m:dbg` text. */
export class BindingError extends Error {
  constructor(readonly rsc: number, message: string) {
    super(message);
    this.name = 'BindingError';
  }
}
