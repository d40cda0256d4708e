/** How a contract suite gets an implementation: each call of `open` gives a fresh, empty one. */
export interface Opened<S> {
  store: S;
  /** Closes the store and opens the same data again (a restart); `store` is the reopened one afterwards. */
  reopen(): Promise<S>;
  /** Closes the store and removes its data. */
  dispose(): Promise<void>;
}

export type OpenStore<S> = () => Promise<Opened<S>>;

/** Opens through `open` and disposes everything opened when `after` runs (an afterEach hook). */
export function openedStores<S>(open: OpenStore<S>): { open(): Promise<Opened<S>>; disposeAll(): Promise<void> } {
  const opened: Array<Opened<S>> = [];
  return {
    async open() {
      const fresh = await open();
      opened.push(fresh);
      return fresh;
    },
    async disposeAll() {
      await Promise.all(opened.splice(0).map((o) => o.dispose()));
    },
  };
}
