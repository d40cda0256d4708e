/** Fault switches the tests (and users) set to provoke each outcome at the DM server; changeable at any time. */

/** What a forced status matches: a node path (`./FUMO/State`), or a predicate on the command name and path. */
export type CommandMatch = string | ((command: { cmd: string; path: string }) => boolean);

export interface ForcedStatusOptions {
  /** Only this command (Get, Replace, Add, Delete, Exec); default: any. */
  cmd?: string;
  /** How many matching commands get the forced code (default 1; Infinity for all). */
  times?: number;
}

interface ForcedStatus {
  matches: (command: { cmd: string; path: string }) => boolean;
  code: number;
  remaining: number;
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
  private readonly forced: ForcedStatus[] = [];

  /** The next `times` commands matching `match` are answered with `code` and not carried out. */
  forceStatus(match: CommandMatch, code: number, options: ForcedStatusOptions = {}): void {
    const pathMatches = typeof match === 'function' ? match : (command: { path: string }) => command.path === match;
    const matches = (command: { cmd: string; path: string }) => (options.cmd === undefined || options.cmd === command.cmd) && pathMatches(command);
    this.forced.push({ matches, code, remaining: options.times ?? 1 });
  }

  /** The forced code for this command, if a rule matches (using one of its turns). */
  take(cmd: string, path: string): number | undefined {
    const index = this.forced.findIndex((rule) => rule.matches({ cmd, path }));
    if (index < 0) return undefined;
    const rule = this.forced[index];
    if (--rule.remaining <= 0) this.forced.splice(index, 1);
    return rule.code;
  }

  clear(): void {
    this.forced.length = 0;
    this.wrongSecret = false;
    this.omitCred = false;
    this.slowMs = 0;
    this.dropAfterMessages = undefined;
    this.wrongChunkSize = false;
    this.cutChunksAfter = undefined;
  }
}
