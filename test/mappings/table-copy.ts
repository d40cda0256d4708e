import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHIPPED_TABLES = fileURLToPath(new URL('../../../mappings', import.meta.url));

/** A private copy of the shipped tables in a temp dir, to break or edit. */
export class TableCopy {
  readonly dir = mkdtempSync(join(tmpdir(), 'dm-proxy-mappings-'));

  constructor() {
    cpSync(SHIPPED_TABLES, this.dir, { recursive: true });
  }

  path(relative: string): string {
    return join(this.dir, relative);
  }

  read(relative: string): string {
    return readFileSync(this.path(relative), 'utf8');
  }

  write(relative: string, text: string): void {
    writeFileSync(this.path(relative), text);
  }

  /** Replaces the first occurrence of `from` (which must exist) and returns the 1-based line it starts on. */
  edit(relative: string, from: string, to: string): number {
    const text = this.read(relative);
    const at = text.indexOf(from);
    if (at < 0) throw new Error(`"${from}" not found in ${relative}`);
    this.write(relative, text.slice(0, at) + to + text.slice(at + from.length));
    return text.slice(0, at).split('\n').length;
  }

  /** 1-based line of the first occurrence of `text`. */
  lineOf(relative: string, text: string): number {
    const content = this.read(relative);
    const at = content.indexOf(text);
    if (at < 0) throw new Error(`"${text}" not found in ${relative}`);
    return content.slice(0, at).split('\n').length;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
