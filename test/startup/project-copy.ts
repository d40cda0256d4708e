import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (tests run from dist/test/startup). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What `npm start` needs, copied so its compile never rewrites the dist/ the other tests run from. */
const START_FILES = ['package.json', 'tsconfig.json', 'src', 'mappings'];

export interface ProjectCopy {
  dir: string;
  remove(): void;
}

export function copyProjectForStart(): ProjectCopy {
  const dir = mkdtempSync(join(tmpdir(), 'dm-proxy-start-'));
  for (const name of START_FILES) cpSync(join(PROJECT_ROOT, name), join(dir, name), { recursive: true });
  symlinkSync(realpathSync(join(PROJECT_ROOT, 'node_modules')), join(dir, 'node_modules'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** State and parent of a process, from /proc/<pid>/stat; undefined once it is gone. */
function statusOf(pid: number): { state: string; parent: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state, ppid, ...
    const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, parent: Number(parent) };
  } catch {
    return undefined;
  }
}

/** Every live process below `pid` (Linux /proc). */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = statusOf(Number(entry))?.parent;
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** Running, not a zombie waiting for a reaper (a container's init may never reap one). */
export function isAlive(pid: number): boolean {
  const state = statusOf(pid)?.state;
  return state !== undefined && state !== 'Z';
}
