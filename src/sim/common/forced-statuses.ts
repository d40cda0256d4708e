/**
 * Status codes a test forces on a simulated device's next matching commands: each rule answers `times` commands, then
 * goes; the first rule that matches a command is used.
 */
export class ForcedStatuses<C> {
  private readonly rules: Array<{ matches: (command: C) => boolean; code: number; remaining: number }> = [];

  add(matches: (command: C) => boolean, code: number, times = 1): void {
    this.rules.push({ matches, code, remaining: times });
  }

  /** The forced code for this command, if a rule matches (using one of its turns). */
  take(command: C): number | undefined {
    const index = this.rules.findIndex((rule) => rule.matches(command));
    if (index < 0) return undefined;
    const rule = this.rules[index];
    if (--rule.remaining <= 0) this.rules.splice(index, 1);
    return rule.code;
  }

  clear(): void {
    this.rules.length = 0;
  }
}
