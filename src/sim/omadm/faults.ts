import { ForcedStatuses } from '../common/forced-statuses.js';

/** Fault switches the tests (and users) set to provoke each outcome at the DM server; changeable at any time. */

/** What a forced status matches: a node path (`./FUMO/State`), or a predicate on the command name and path. */
export type CommandMatch = string | ((command: { cmd: string; path: string }) => boolean);

export interface ForcedStatusOptions {
  /** Only this command (Get, Replace, Add, Delete, Exec); default: any. */
  cmd?: string;
  /** How many matching commands get the forced code (default 1; Infinity for all). */
  times?: number;
}

export class DmFaults {
  /** The device's Cred is computed with a wrong secret. */
  wrongSecret = false;
  /** The device sends no Cred at all (clients that expect no authentication). */
  omitCred = false;
  /** Wait this long before each message after package 1 (a slow device). */
  slowMs = 0;
  /** The session goes silent after this many server messages were received (device out of coverage). */
  dropAfterMessages: number | undefined;
  /** Large objects: the device's Meta Size is one more than its object's bytes (the server answers 424). */
  wrongChunkSize = false;
  /** Large objects: the device sends this many chunks of an object, then goes on without the rest (Alert 1225 expected). */
  cutChunksAfter: number | undefined;
  private readonly forced = new ForcedStatuses<{ cmd: string; path: string }>();

  /** The next `times` commands matching `match` are answered with `code` and not carried out. */
  forceStatus(match: CommandMatch, code: number, options: ForcedStatusOptions = {}): void {
    const pathMatches = typeof match === 'function' ? match : (command: { path: string }) => command.path === match;
    const matches = (command: { cmd: string; path: string }) => (options.cmd === undefined || options.cmd === command.cmd) && pathMatches(command);
    this.forced.add(matches, code, options.times);
  }

  /** The forced code for this command, if a rule matches (using one of its turns). */
  take(cmd: string, path: string): number | undefined {
    return this.forced.take({ cmd, path });
  }

  clear(): void {
    this.forced.clear();
    this.wrongSecret = false;
    this.omitCred = false;
    this.slowMs = 0;
    this.dropAfterMessages = undefined;
    this.wrongChunkSize = false;
    this.cutChunksAfter = undefined;
  }
}
