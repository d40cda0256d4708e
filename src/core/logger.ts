import { pino, type Logger } from 'pino';

export type { Logger };

/** What LOG_LEVEL may be: pino's levels and `silent`. */
export const LOG_LEVELS: readonly string[] = [...Object.keys(pino.levels.values), 'silent'];

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'onem2m-dm-proxy' } });
}
