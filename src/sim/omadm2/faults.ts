/** Fault switches the tests (and users) set to provoke each outcome at the DM 2.0 server; changeable at any time. */

/** What a forced status matches: a ClientURI (query ignored) or a predicate on the command name and its URI. */
export type Dm2CommandMatch = string | ((command: { cmd: string; uri: string }) => boolean);

export interface Dm2ForcedStatusOptions {
  /** Only this command (HGET, GET, EXEC...); default: any. */
  cmd?: string;
  /** How many matching commands get the forced code (default 1; Infinity for all). */
  times?: number;
}

interface ForcedStatus {
  matches: (command: { cmd: string; uri: string }) => boolean;
  code: number;
  remaining: number;
}

export class Dm2Faults {
  /** The device authenticates (Basic or Digest) with a wrong secret. */
  wrongSecret = false;
  /** Wait this long before each package 3 (a slow device). */
  slowMs = 0;
  /** The session goes silent after this many package 2s were received (device out of coverage). */
  dropAfterMessages: number | undefined;
  /** Every exchange with a ServerURI (HGET, HPUT, HPOST, SUB reports) fails: the command answers 419. */
  serverUriFails = false;
  private readonly forced: ForcedStatus[] = [];

  /** The next `times` commands matching `match` are answered with `code` and not carried out. */
  forceStatus(match: Dm2CommandMatch, code: number, options: Dm2ForcedStatusOptions = {}): void {
    const uriMatches = typeof match === 'function' ? match : (command: { uri: string }) => command.uri.split('?')[0] === match;
    const matches = (command: { cmd: string; uri: string }) => (options.cmd === undefined || options.cmd === command.cmd) && uriMatches(command);
    this.forced.push({ matches, code, remaining: options.times ?? 1 });
  }

  /** The forced code for this command, if a rule matches (using one of its turns). */
  take(cmd: string, uri: string): number | undefined {
    const index = this.forced.findIndex((rule) => rule.matches({ cmd, uri }));
    if (index < 0) return undefined;
    const rule = this.forced[index];
    if (--rule.remaining <= 0) this.forced.splice(index, 1);
    return rule.code;
  }

  clear(): void {
    this.forced.length = 0;
    this.wrongSecret = false;
    this.slowMs = 0;
    this.dropAfterMessages = undefined;
    this.serverUriFails = false;
  }
}
