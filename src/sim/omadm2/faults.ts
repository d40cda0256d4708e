import { ForcedStatuses } from '../common/forced-statuses.js';

/** Fault switches the tests (and users) set to provoke each outcome at the DM 2.0 server; changeable at any time. */

/** What a forced status matches: a ClientURI (query ignored) or a predicate on the command name and its URI. */
export type Dm2CommandMatch = string | ((command: { cmd: string; uri: string }) => boolean);

export interface Dm2ForcedStatusOptions {
  /** Only this command (HGET, GET, EXEC...); default: any. */
  cmd?: string;
  /** How many matching commands get the forced code (default 1; Infinity for all). */
  times?: number;
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
  private readonly forced = new ForcedStatuses<{ cmd: string; uri: string }>();

  /** The next `times` commands matching `match` are answered with `code` and not carried out. */
  forceStatus(match: Dm2CommandMatch, code: number, options: Dm2ForcedStatusOptions = {}): void {
    const uriMatches = typeof match === 'function' ? match : (command: { uri: string }) => command.uri.split('?')[0] === match;
    const matches = (command: { cmd: string; uri: string }) => (options.cmd === undefined || options.cmd === command.cmd) && uriMatches(command);
    this.forced.add(matches, code, options.times);
  }

  /** The forced code for this command, if a rule matches (using one of its turns). */
  take(cmd: string, uri: string): number | undefined {
    return this.forced.take({ cmd, uri });
  }

  clear(): void {
    this.forced.clear();
    this.wrongSecret = false;
    this.slowMs = 0;
    this.dropAfterMessages = undefined;
    this.serverUriFails = false;
  }
}
