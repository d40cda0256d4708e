import type { EventEmitter } from 'node:events';

/**
 * The first event, among those already `seen` or emitted as 'event' from now on, that matches; rejects after
 * `timeoutMs` naming every event seen (what a failing test needs to say why).
 */
export function waitForEvent<E>(emitter: EventEmitter, seen: readonly E[], match: (event: E) => boolean, timeoutMs: number): Promise<E> {
  const found = seen.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const onEvent = (event: E): void => {
      if (!match(event)) return;
      clearTimeout(timer);
      emitter.off('event', onEvent);
      resolve(event);
    };
    const timer = setTimeout(() => {
      emitter.off('event', onEvent);
      reject(new Error(`no matching event within ${timeoutMs} ms; events: ${seen.map((event) => JSON.stringify(event)).join('\n')}`));
    }, timeoutMs);
    emitter.on('event', onEvent);
  });
}
