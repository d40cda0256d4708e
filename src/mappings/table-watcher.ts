import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';

/** Editors save in bursts (temp file, rename, chmod): reload once the burst is over. */
const DEBOUNCE_MS = 150;
const WATCHED_SUBDIRS = ['', 'status', 'objects'];

export interface TableWatcher {
  close(): void;
}

/** Calls `onChange` once after each burst of changes in the tables directory or its `status/` and `objects/`. */
export function watchTables(dir: string, onChange: () => void, logger: Logger): TableWatcher {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, DEBOUNCE_MS);
    timer.unref();
  };
  const watchers: FSWatcher[] = [];
  for (const sub of WATCHED_SUBDIRS) {
    const path = join(dir, sub);
    try {
      const watcher = watch(path, { persistent: false }, schedule);
      watcher.on('error', (error) => logger.warn({ err: error, path }, 'mapping tables: watching stopped'));
      watchers.push(watcher);
    } catch (error) {
      logger.warn({ err: error, path }, 'mapping tables: cannot watch, changes need a restart');
    }
  }
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
