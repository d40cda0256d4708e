import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WriteMarks } from '../../src/store/write-marks.js';

const A = [WriteMarks.riKey('a'), WriteMarks.pathKey('proxy/a')];
const B = [WriteMarks.riKey('b'), WriteMarks.pathKey('proxy/b')];

test('a read is unchanged unless a write of one of its keys (or a delete) began, ran or ended since it started', () => {
  const marks = new WriteMarks();
  const before = marks.readStarted();
  marks.writeStarted(A);
  const during = marks.readStarted();
  assert.equal(marks.unchangedSince(during, A), false, 'the write still runs');
  assert.equal(marks.unchangedSince(during, B), true);
  marks.writeEnded(A);
  const after = marks.readStarted();
  assert.equal(marks.unchangedSince(before, A), false);
  assert.equal(marks.unchangedSince(during, A), false, 'it ended after the read began');
  assert.equal(marks.unchangedSince(after, A), true);
  assert.equal(marks.unchangedSince(before, [WriteMarks.riKey('b')]), true);
  marks.writeStarted('every key');
  marks.writeEnded('every key');
  assert.equal(marks.unchangedSince(after, B), false, 'a delete marks every key');
  for (const start of [before, during, after]) marks.readEnded(start);
  assert.equal(marks.unchangedSince(marks.readStarted(), A), true);
});

test('writes with no read in flight leave no marks behind; marks older than every read in flight are dropped', () => {
  const marks = new WriteMarks();
  for (let i = 0; i < 5000; i++) {
    const keys = [WriteMarks.riKey(`r${i}`), WriteMarks.pathKey(`proxy/r${i}`)];
    marks.writeStarted(keys);
    marks.writeEnded(keys);
  }
  assert.equal((marks as unknown as { markedAt: Map<string, number> }).markedAt.size, 0);
  const long = marks.readStarted();
  for (let i = 0; i < 5000; i++) {
    const keys = [WriteMarks.riKey(`s${i}`)];
    marks.writeStarted(keys);
    marks.writeEnded(keys);
  }
  assert.equal(marks.unchangedSince(long, [WriteMarks.riKey('s0')]), false, 'the long read still sees every write since it began');
  marks.readEnded(long);
  const next = marks.readStarted();
  for (let i = 0; i < 3000; i++) {
    const keys = [WriteMarks.riKey(`t${i}`)];
    marks.writeStarted(keys);
    marks.writeEnded(keys);
  }
  assert.ok((marks as unknown as { markedAt: Map<string, number> }).markedAt.size <= 3000, 'only the marks the read in flight can see');
  assert.equal(marks.unchangedSince(next, [WriteMarks.riKey('t0')]), false);
  assert.equal(marks.unchangedSince(next, [WriteMarks.riKey('s0')]), true);
});
