import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which files of src/ import which: relative imports only, as paths from the repository root (`src/app.ts`). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const IMPORT = /\b(?:from|import)\s*\(?\s*'(\.[^']+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const imports = new Map(sourceFiles('src').map((file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const targets = [...text.matchAll(IMPORT)].map((match) => relative(ROOT, resolve(ROOT, dirname(file), match[1])).replace(/\.js$/, '.ts'));
  return [file, targets] as const;
}));

function importersOf(target: (path: string) => boolean): string[] {
  return [...imports].filter(([, targets]) => targets.some(target)).map(([file]) => file).sort();
}

test('nothing imports the composition root but the entry that runs it', () => {
  assert.deepEqual(importersOf((path) => path === 'src/app.ts'), ['src/main.ts']);
});

test('outside lwm2m/, only the module list knows the LwM2M module (and the device simulator its codecs)', () => {
  const outside = importersOf((path) => path.startsWith('src/lwm2m/')).filter((file) => !file.startsWith('src/lwm2m/') && !file.startsWith('src/sim/'));
  assert.deepEqual(outside, ['src/modules.ts']);
});
