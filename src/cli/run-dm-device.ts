import type { EventEmitter } from 'node:events';
import type { CliIo } from './mappings-command.js';

/** What the CLI drives of a simulated DM device (1.2/1.3 or 2.0). */
export interface RunnableDmDevice extends EventEmitter {
  listenForNotifications(port: number): Promise<number>;
  startSessions(pollSeconds?: number): void;
  close(): Promise<void>;
}

/**
 * Runs a simulated DM device until `stopSignal` (Ctrl-C) or until the server refuses its credentials: takes package 0 on
 * `notifyPort` when given, opens its sessions (polling with `poll`). Resolves with the exit status: 0 stopped, 1 refused,
 * 2 the notification port could not be opened.
 */
export async function runDmDevice(
  command: string,
  devId: string,
  device: RunnableDmDevice,
  settings: { poll?: number; notifyPort?: number },
  io: CliIo,
  stopSignal: AbortSignal,
): Promise<number> {
  let fatal: string | undefined;
  const refused = new AbortController();
  device.on('session', (outcome: { result: string; reason?: string }) => {
    if (outcome.result !== 'auth-failed') return;
    fatal ??= `${devId}: ${outcome.reason ?? 'authentication failed'}`;
    refused.abort();
  });
  const stopped = new Promise<void>((resolve) => {
    if (stopSignal.aborted) return resolve();
    stopSignal.addEventListener('abort', () => resolve(), { once: true });
    refused.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  if (settings.notifyPort !== undefined) {
    try {
      io.out(JSON.stringify({ event: 'notify-listening', devId, port: await device.listenForNotifications(settings.notifyPort) }));
    } catch (error) {
      io.err(`dm-proxy ${command}: --notify-port ${settings.notifyPort}: ${(error as Error).message}`);
      await device.close();
      return 2;
    }
  }
  device.startSessions(settings.poll);
  // A device that does not poll has nothing pending between sessions: it still runs until it is stopped.
  const alive = setInterval(() => undefined, 2 ** 30);
  await stopped;
  clearInterval(alive);
  await device.close();
  if (fatal) io.err(`dm-proxy ${command}: ${fatal}`);
  return fatal ? 1 : 0;
}
