/** Why the proxy cannot start, as one line an operator can act on; `fields` go into the log entry beside it. */
export class StartupError extends Error {
  constructor(message: string, readonly fields: Record<string, unknown>) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'StartupError';
  }
}

/** A setting whose value cannot be used; `allowed` says what can. */
export function invalidSetting(setting: string, value: string, allowed: string): StartupError {
  return new StartupError(`${setting}=${JSON.stringify(value)} is not valid: ${allowed}`, { setting, value, allowed });
}

/** A setting naming a file or directory that cannot be used; `reason` says why. */
export function unusableSetting(setting: string, value: string, reason: string, extra: Record<string, unknown> = {}): StartupError {
  return new StartupError(`${setting}=${JSON.stringify(value)} cannot be used: ${reason}`, { setting, value, ...extra });
}

const BIND_REASONS: Record<string, string> = {
  EADDRINUSE: 'the port is in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'HOST is not an address of this machine',
};

/** A listener that could not bind `port` on `host`. */
export function bindFailure(setting: string, host: string, port: number, error: unknown): StartupError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = (code && BIND_REASONS[code]) ?? (error as Error).message;
  return new StartupError(`${setting}=${port} cannot be bound on HOST=${host}: ${reason}${code ? ` (${code})` : ''}`, { setting, port, host, code });
}
