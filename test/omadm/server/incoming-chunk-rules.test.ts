import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command, Item, Results, Status } from '../../../src/omadm/v13/codec/index.js';
import { type ChunkRules, takeChunks } from '../../../src/omadm/v13/session/incoming-chunks.js';

const RULES: ChunkRules = {
  accepts: (command) => command.kind === 'Results' || (command.kind === 'Replace' && command.items.every((item) => (item.source?.locUri ?? '').startsWith('./DevInfo/'))),
  maxObjSize: () => 1024 * 1024,
};
const URI = './FUMO/PkgName';

function results(item: Item): Results {
  return { kind: 'Results', cmdId: '3', msgRef: '1', cmdRef: '5', targetRefs: [], sourceRefs: [], items: [{ source: { locUri: URI }, ...item }] };
}
function status(code: number): Status {
  return { kind: 'Status', cmdId: '2', msgRef: '1', cmdRef: '5', cmd: 'Get', targetRefs: [URI], sourceRefs: [], items: [], data: code };
}

test('chunks that came as binary (WBXML OPAQUE) are joined as bytes and their Size counts raw bytes', () => {
  const first = Buffer.from([1, 2, 3, 4]);
  const last = Buffer.from([5, 6, 7]);
  const opened = takeChunks([results({ data: first.toString('base64'), binary: true, moreData: true, meta: { size: 7, format: 'b64' } })], undefined, '2', { ...RULES, maxObjSize: () => 64 });
  assert.ok(opened.open, 'the object is open');
  const done = takeChunks([results({ data: last.toString('base64'), binary: true })], opened.open, '3', { ...RULES, maxObjSize: () => 64 });
  const assembled = done.answers.find((answer): answer is Results => answer.kind === 'Results');
  assert.equal(assembled?.items[0].data, Buffer.from([1, 2, 3, 4, 5, 6, 7]).toString('base64'));
  assert.equal(done.statuses.length, 0, 'no 424: the size matches in raw bytes');
});

test('Statuses held with an open Results object are bounded: thousands for one command keep only the first few', () => {
  const chunk = 'x'.repeat(100);
  const opened = takeChunks([results({ data: chunk, moreData: true })], undefined, '2', RULES);
  const flood: Command[] = [...Array.from({ length: 2000 }, () => status(200)), results({ data: chunk, moreData: true })];
  const next = takeChunks(flood, opened.open, '3', RULES);
  assert.ok(next.open && next.open.statuses.length <= 16, `${next.open?.statuses.length} held`);
});

test('a chunk before the last must carry data: empty chunks are refused (413), not buffered thousands of times', () => {
  const opened = takeChunks([results({ data: 'x'.repeat(100), moreData: true })], undefined, '2', RULES);
  const empty = takeChunks([results({ data: '', moreData: true })], opened.open, '3', RULES);
  assert.deepEqual(empty.statuses.map((answer) => answer.data), [413]);
});

test('a chunked command the server would refuse whole is not buffered: it is passed on at once (to be answered 405)', () => {
  const add: Command = { kind: 'Add', cmdId: '4', items: [{ target: { locUri: './Vendor/Big' }, data: 'x'.repeat(100), moreData: true }] };
  const outcome = takeChunks([add], undefined, '2', RULES);
  assert.equal(outcome.open, undefined);
  assert.deepEqual(outcome.commands.map((command) => command.kind), ['Add']);
  assert.deepEqual(outcome.statuses, []);
});
