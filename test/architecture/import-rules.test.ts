import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The layering of src/: every import points down, nothing imports in a circle. Read from the TypeScript sources. */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** src-relative file → the src-relative files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((match) => {
      const specifier = (match[1] ?? match[2]).replace(/\.js$/, '.ts');
      return relative(src, resolve(dirname(file), specifier));
    });
    graph.set(relative(src, file), targets);
  }
  return graph;
}

const graph = importGraph();
const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
const under = (folder: string) => (file: string) => file === `${folder}.ts` || file.startsWith(`${folder}/`);

function violations(fromFolder: string, forbidden: (to: string) => boolean): string[] {
  return edges.filter(({ from, to }) => under(fromFolder)(from) && forbidden(to)).map(({ from, to }) => `${from} → ${to}`);
}

/** Strongly connected components of more than one file (Tarjan). */
function cycles(): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

test('the import reader sees the imports (a rule over no edges could not fail)', () => {
  assert.ok(graph.size > 100, `${graph.size} files`);
  assert.ok(edges.some(({ from, to }) => from === 'main.ts' && to === 'app.ts'), 'main.ts → app.ts is read');
  assert.ok(edges.filter(({ from }) => under('lwm2m')(from)).length > 100);
});

test('no import cycles in src/', () => {
  assert.deepEqual(cycles(), []);
});

test('src/core imports nothing above it', () => {
  assert.deepEqual(violations('core', (to) => !under('core')(to)), []);
});

test('the binding and the resource tree import no device technology; mappings and store import neither technology nor oneM2M', () => {
  const technology = (to: string) => under('lwm2m')(to) || under('omadm')(to) || under('sim')(to);
  assert.deepEqual(violations('onem2m', technology), []);
  assert.deepEqual(violations('mappings', (to) => technology(to) || under('onem2m')(to)), []);
  assert.deepEqual(violations('store', (to) => technology(to) || under('onem2m')(to) || under('mappings')(to)), []);
});

test('device technologies import nothing from the oneM2M binding or tree', () => {
  assert.deepEqual(violations('lwm2m', under('onem2m')), []);
  assert.deepEqual(violations('omadm', under('onem2m')), []);
  assert.deepEqual(violations('sim', under('onem2m')), []);
});

test('the OMA DM module imports nothing from the LwM2M module', () => {
  assert.ok(graph.has('omadm/v13/codec/index.ts'), 'the omadm sources are read');
  assert.deepEqual(violations('omadm', under('lwm2m')), []);
});

test('outside lwm2m/, only the module list knows the LwM2M module (and the device simulator its codecs)', () => {
  const outside = edges.filter(({ from, to }) => under('lwm2m')(to) && !under('lwm2m')(from) && !under('sim')(from)).map(({ from }) => from);
  assert.deepEqual([...new Set(outside)], ['modules.ts']);
});

test('nothing imports the composition root but main.ts', () => {
  assert.deepEqual(edges.filter(({ from, to }) => to === 'app.ts' && from !== 'main.ts').map(({ from }) => from), []);
});
