import type { CommandOutcome } from './command-dispatch.js';

/** The transport outcome of a command that got no answer: never sent (no session came in time), or sent and never answered. */
export function unansweredOutcome(outcome: Exclude<CommandOutcome<unknown>, { answer: unknown }>): { code: string; detail: string } {
  if ('queueFull' in outcome) return { code: 'queue-full', detail: `(${outcome.queueFull}; nothing was queued)` };
  if ('unreachable' in outcome) return { code: 'trigger-failed', detail: `(${outcome.unreachable}; the commands were withdrawn, nothing was sent)` };
  if ('unsent' in outcome) {
    return { code: 'session-timeout', detail: '(the device opened no management session before the request ended; its commands were withdrawn, nothing was sent)' };
  }
  return { code: 'timeout', detail: `(the commands were sent but ${outcome.lost}; whether the device carried them out is unknown)` };
}
