import { readFileSync, statSync } from 'node:fs';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type YAMLError } from 'yaml';

export type DataPath = ReadonlyArray<string | number>;

/** Collects `file:line: message` lines. */
export class Problems {
  readonly lines: string[] = [];

  add(file: string, line: number, message: string): void {
    const text = `${file}:${line}: ${message}`;
    if (!this.lines.includes(text)) this.lines.push(text);
  }

  at(source: YamlSource, path: DataPath, message: string): void {
    this.add(source.file, source.lineOf(path), message);
  }

  get count(): number {
    return this.lines.length;
  }
}

/** A parsed YAML table that can tell the line of any value in it. */
export interface YamlSource {
  /** Path used in messages. */
  file: string;
  data: unknown;
  /** 1-based line of the value at `path`: the key's line for map entries, else the nearest existing ancestor's. */
  lineOf(path: DataPath): number;
}

/** Mapping tables are small; anything bigger is a mistake (or hostile) and is not parsed. */
const MAX_TABLE_BYTES = 1024 * 1024;

export function readYamlSource(file: string, problems: Problems): YamlSource | undefined {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_TABLE_BYTES) {
      problems.add(file, 1, `file is ${size} bytes, more than the ${MAX_TABLE_BYTES} a mapping table may have`);
      return undefined;
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.add(file, 1, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const { line, col } = lineCounter.linePos(faultOffset(doc, text, error));
      const firstLine = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      problems.add(file, line, `invalid YAML: ${firstLine} (column ${col})`);
    }
    return undefined;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    problems.add(file, 1, `invalid YAML: ${(error as Error).message}`);
    return undefined;
  }
  return { file, data, lineOf: (path) => lineOf(doc, lineCounter, path) };
}

/** The opening character of what an "unclosed" parse error says was left open, if it says so. */
function openerNamedIn(message: string): string | undefined {
  if (/^Flow map\b/i.test(message)) return '{';
  if (/^Flow sequence\b/i.test(message)) return '[';
  return /^Missing closing (["'])quote/.exec(message)?.[1];
}

/**
 * The parser notices an unclosed `[`, `{` or quote only where the next token starts, often on the next line;
 * the fault is where that flow collection or quoted scalar opens.
 */
function faultOffset(doc: Document, text: string, error: YAMLError): number {
  const noticedAt = error.pos[0];
  const opener = openerNamedIn(error.message);
  if (opener === undefined) return noticedAt;
  let opened: number | undefined;
  visit(doc, (_key, node) => {
    const range = rangeOf(node);
    // Parents come first, so the innermost node of that kind that ends where the error was noticed wins.
    if (range && text[range[0]] === opener && range[1] <= noticedAt && noticedAt <= range[2]) opened = range[0];
  });
  return opened ?? noticedAt;
}

function lineOf(doc: Document, lineCounter: LineCounter, path: DataPath): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return lineCounter.linePos(offset).line;
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  return (node as { range?: [number, number, number] | null } | null | undefined)?.range ?? undefined;
}

function rangeStart(node: unknown): number | undefined {
  return rangeOf(node)?.[0];
}
