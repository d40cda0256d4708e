/** Malformed and hostile WBXML: every refusal is a SyncmlDecodeError, quickly; a fuzzer mutates real messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DEFAULT_DECODE_LIMITS, SyncmlDecodeError, decodeSyncml, decodeSyncmlWbxml, encodeSyncmlWbxml, type DecodeErrorKind,
} from '../../../src/omadm/v13/codec/index.js';
import { PACKAGE_1_DM12, PACKAGE_2_DM13, PACKAGE_3_DM12 } from './packages.js';

const STALL_MS = 5000;
/** WBXML 1.2, public id 0x1201, UTF-8, empty string table. */
const HEADER = [0x02, 0xa4, 0x01, 0x6a, 0x00];
const STR = (text: string) => [0x03, ...Buffer.from(text, 'utf8'), 0x00];
const END = 0x01;
// Tag tokens with the content bit (0x40) where they have content.
const T = { SyncML: 0x6d, SyncHdr: 0x6c, VerDTD: 0x71, VerProto: 0x72, SessionID: 0x65, MsgID: 0x5b, Target: 0x6e, Source: 0x67, LocURI: 0x57, SyncBody: 0x6b, Item: 0x54, Data: 0x4f, Meta: 0x5a, Replace: 0x60, CmdID: 0x4b, Final: 0x12 };
const text = (tag: number, value: string) => [tag, ...STR(value), END];
const syncHdr = (verDtd = '1.2') => [
  T.SyncHdr, ...text(T.VerDTD, verDtd), ...text(T.VerProto, 'DM/1.2'), ...text(T.SessionID, '1'), ...text(T.MsgID, '1'),
  T.Target, ...text(T.LocURI, 'http://127.0.0.1/dm'), END, T.Source, ...text(T.LocURI, 'IMEI:1'), END, END,
];
/** A whole message around `body` (the SyncBody's content). */
const wbxml = (body: number[], header = HEADER, hdr = syncHdr()) => Buffer.from([...header, T.SyncML, ...hdr, T.SyncBody, ...body, T.Final, END, END]);
const replaceWith = (item: number[]) => [T.Replace, ...text(T.CmdID, '2'), T.Item, T.Target, ...text(T.LocURI, './A'), END, ...item, END, END];

function refused(input: Uint8Array, kind: DecodeErrorKind, reason: RegExp, limits = DEFAULT_DECODE_LIMITS): SyncmlDecodeError {
  const started = performance.now();
  let caught: unknown;
  try {
    decodeSyncmlWbxml(input, limits);
  } catch (error) {
    caught = error;
  }
  assert.ok(performance.now() - started < STALL_MS, 'refused without stalling');
  assert.ok(caught instanceof SyncmlDecodeError, `a SyncmlDecodeError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  assert.match(caught.message, reason);
  return caught;
}

test('the hand-built message decodes (the builders below are right)', () => {
  const message = decodeSyncmlWbxml(wbxml(replaceWith(text(T.Data, 'x'))));
  assert.equal(message.final, true);
  assert.deepEqual(message.body, [{ kind: 'Replace', cmdId: '2', items: [{ target: { locUri: './A' }, data: 'x' }] }]);
});

test('a message truncated at any byte is refused as malformed WBXML', () => {
  const whole = encodeSyncmlWbxml(decodeSyncml(PACKAGE_2_DM13));
  for (let end = 0; end < whole.length; end++) {
    assert.throws(() => decodeSyncmlWbxml(whole.subarray(0, end)), (err) => err instanceof SyncmlDecodeError && err.kind === 'wbxml' && err.httpStatus === 400, `cut at ${end}`);
  }
  refused(Buffer.alloc(0), 'wbxml', /ends where the WBXML version/);
});

test('the header: version, public id (number or string table), charset, string table size', () => {
  refused(Buffer.from([0x04, 0xa4, 0x01, 0x6a, 0x00]), 'wbxml', /WBXML version 0x4 is not supported/);
  refused(wbxml([], [0x02, 0xa2, 0x01, 0x6a, 0x00]), 'wbxml', /public identifier 0x1101 is not SyncML 1.2/);
  refused(wbxml([], [0x02, 0xa4, 0x01, 0x04, 0x00]), 'wbxml', /charset 4 is not supported: SyncML WBXML must be UTF-8/);
  refused(wbxml([], [0x02, 0xa4, 0x01, 0x6a, 0x7f, 0x41]), 'wbxml', /string table of 127 bytes .* runs past the end/);
  const fpi = [...Buffer.from('-//SYNCML//DTD SyncML 1.2//EN'), 0];
  assert.equal(decodeSyncmlWbxml(wbxml([], [0x03, 0x00, 0x00, 0x6a, fpi.length, ...fpi])).final, true, 'the public id as a string table entry');
  const other = [...Buffer.from('-//WAPFORUM//DTD SI 1.0//EN'), 0];
  refused(wbxml([], [0x03, 0x00, 0x00, 0x6a, other.length, ...other]), 'wbxml', /public identifier "-\/\/WAPFORUM\/\/DTD SI 1.0\/\/EN" is not/);
  refused(wbxml([], [0x03, 0x00, 0x05, 0x6a, fpi.length, ...fpi]), 'wbxml', /public identifier "NCML\/\/DTD SyncML 1.2\/\/EN" is not/);
  assert.equal(decodeSyncmlWbxml(wbxml([], [0x00, 0xa4, 0x01, 0x00])).final, true, 'WBXML 1.0 has no charset');
});

test('mb_u_int32 longer than five bytes or over 2^32-1 is refused', () => {
  refused(wbxml([], [0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x6a, 0x00]), 'wbxml', /public identifier at offset 1 is longer than 5 bytes/);
  refused(wbxml([], [0x02, 0x90, 0x80, 0x80, 0x80, 0x00, 0x6a, 0x00]), 'wbxml', /public identifier at offset 1 is over 2\^32-1/);
  refused(wbxml(replaceWith([T.Data, 0xc3, 0x8f, 0xff, 0xff, 0xff, 0x7f, END])), 'wbxml', /OPAQUE data of 4294967295 bytes .* runs past the end/);
});

test('string table references: in range they are text; out of range, or without a NUL, they are refused', () => {
  const table = [...Buffer.from('./A'), 0, ...Buffer.from('x')];
  const withTable = [0x03, 0xa4, 0x01, 0x6a, table.length, ...table];
  const item = (offset: number) => [T.Data, 0x83, offset, END];
  assert.equal((decodeSyncmlWbxml(wbxml(replaceWith(item(0)), withTable)).body[0] as { items: Array<{ data: string }> }).items[0].data, './A');
  refused(wbxml(replaceWith(item(table.length)), withTable), 'wbxml', /string table reference 5 is outside the table of 5 bytes/);
  refused(wbxml(replaceWith(item(4)), withTable), 'wbxml', /the string at 4 in the string table has no terminating NUL/);
  refused(wbxml(replaceWith(item(0))), 'wbxml', /string table reference 0 is outside the table of 0 bytes/);
});

test('tokens SyncML does not use: unknown tags and code pages, attributes, literals, PIs, extensions; trailing bytes', () => {
  refused(wbxml([0x70, END]), 'wbxml', /unknown tag 0x30 on code page 0/);
  refused(wbxml([0x3f]), 'wbxml', /unknown tag 0x3f on code page 0/);
  refused(wbxml([0x00, 0x02, 0x45, END]), 'wbxml', /unknown code page 2/);
  refused(wbxml([0x00, 0x01, 0x3f]), 'wbxml', /unknown tag 0x3f on code page 1/);
  refused(wbxml([0xc6, 0x01, END]), 'wbxml', /has attributes, which SyncML does not use/);
  refused(wbxml([0x04, 0x00, END]), 'wbxml', /LITERAL .* is not used by SyncML/);
  refused(wbxml([0x43, 0x05, END]), 'wbxml', /PI .* is not used by SyncML/);
  refused(wbxml([0x80, 0x00]), 'wbxml', /extension token 0x80 .* is not used by SyncML/);
  refused(Buffer.from([...wbxml([]), 0x12]), 'wbxml', /1 bytes after the end of the root element/);
  refused(Buffer.from([...HEADER, 0x03, 0x41, 0x00]), 'wbxml', /an inline string at offset 5 is outside the root element/);
});

test('text must be UTF-8: inline strings, OPAQUE outside a Data of Format bin; entities must be characters', () => {
  refused(wbxml(replaceWith([T.Data, 0x03, 0xff, 0xfe, 0x00, END])), 'wbxml', /inline string at offset \d+ is not UTF-8/);
  refused(wbxml(replaceWith([T.Data, 0xc3, 0x02, 0xff, 0xfe, END])), 'wbxml', /OPAQUE content of <Data> is not UTF-8 text/);
  refused(wbxml(replaceWith([T.Data, ...STR('a'), 0xc3, 0x01, 0xff, END])), 'wbxml', /OPAQUE data in <Data> is not UTF-8/);
  refused(wbxml(replaceWith([T.Data, 0x02, 0x84, 0x80, 0x80, 0x00, END])), 'wbxml', /entity \d+ is not a Unicode character/);
  const entity = decodeSyncmlWbxml(wbxml(replaceWith([T.Data, ...STR('a'), 0x02, 0x26, ...STR('b'), END])));
  assert.equal((entity.body[0] as { items: Array<{ data: string }> }).items[0].data, 'a&b');
});

test('OPAQUE Data of Format bin is binary: the model carries it as b64, as an XML device sends it, marked binary', () => {
  const bytes = [0x00, 0xff, 0x10, 0x80];
  const formatBin = [T.Meta, 0x00, 0x01, 0x47, ...STR('bin'), END, END, 0x00, 0x00];
  const item = decodeSyncmlWbxml(wbxml(replaceWith([...formatBin, T.Data, 0xc3, bytes.length, ...bytes, END])));
  assert.deepEqual((item.body[0] as { items: unknown[] }).items[0], { target: { locUri: './A' }, meta: { format: 'b64' }, data: Buffer.from(bytes).toString('base64'), binary: true });
  // Format bin on the command's Meta speaks for its Items.
  const onCommand = [T.Replace, ...text(T.CmdID, '2'), ...formatBin, T.Item, T.Target, ...text(T.LocURI, './A'), END, T.Data, 0xc3, 0x01, 0xff, END, END, END];
  const command = decodeSyncmlWbxml(wbxml(onCommand)).body[0] as { meta: unknown; items: unknown[] };
  assert.deepEqual(command.meta, { format: 'bin' });
  assert.deepEqual(command.items[0], { target: { locUri: './A' }, meta: { format: 'b64' }, data: '/w==', binary: true });
});

test('limits: message size, element depth, element count; a readable header is kept for the SyncML answer', () => {
  const big = wbxml(replaceWith(text(T.Data, 'x'.repeat(2000))));
  const error = refused(big, 'limit', /over the limit of 1000/, { ...DEFAULT_DECODE_LIMITS, maxBytes: 1000 });
  assert.equal(error.httpStatus, 413);
  const deep = (levels: number) => [...Array(levels).fill(T.Item), ...Array(levels).fill(END)];
  refused(wbxml(replaceWith(deep(DEFAULT_DECODE_LIMITS.maxElementDepth))), 'limit', /nested deeper than 24 levels/);
  refused(wbxml(Array(2000).fill(T.Final)), 'limit', /more than 1000 elements/, { ...DEFAULT_DECODE_LIMITS, maxBytes: 4000 });
  const version = refused(wbxml([], HEADER, syncHdr('1.1')), 'version', /VerDTD "1.1"/);
  assert.equal(version.header?.sessionId, '1');
});

async function libwbxmlSeed(xml: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'wbxml-fuzz-'));
  try {
    await writeFile(join(dir, 'in.xml'), xml);
    await promisify(execFile)('xml2wbxml', ['-o', join(dir, 'out.wbxml'), join(dir, 'in.xml')], { timeout: 10_000 });
    return await readFile(join(dir, 'out.wbxml'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Deterministic (mulberry32), so a failing mutation can be replayed from its number. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x04, 0x43, 0x80, 0x83, 0xc3, 0xff, 0x7f, 0x45, 0x6d, 0x54];

function mutate(seed: Buffer, next: () => number): Buffer {
  const bytes = [...seed];
  const at = () => Math.floor(next() * bytes.length);
  const rounds = 1 + Math.floor(next() * 4);
  for (let round = 0; round < rounds && bytes.length > 0; round++) {
    const choice = Math.floor(next() * 6);
    if (choice === 0) bytes[at()] ^= 1 << Math.floor(next() * 8);
    else if (choice === 1) bytes[at()] = INTERESTING[Math.floor(next() * INTERESTING.length)];
    else if (choice === 2) bytes.splice(at(), 0, Math.floor(next() * 256));
    else if (choice === 3) bytes.splice(at(), 1 + Math.floor(next() * 8));
    else if (choice === 4) bytes.length = at();
    else {
      const from = at();
      bytes.splice(at(), 0, ...bytes.slice(from, from + 1 + Math.floor(next() * 16)));
    }
  }
  return Buffer.from(bytes);
}

test('string table references cannot multiply text: one long string referenced thousands of times is refused at the size limit, quickly', () => {
  const tableLength = 32 * 1024;
  const table = [...Buffer.alloc(tableLength - 1, 0x41), 0x00];
  const mb = (n: number) => {
    const out = [n & 0x7f];
    for (let rest = Math.floor(n / 128); rest > 0; rest = Math.floor(rest / 128)) out.unshift((rest & 0x7f) | 0x80);
    return out;
  };
  const references = Array.from({ length: 100_000 }, () => [0x83, 0x00]).flat();
  const bomb = Buffer.from([0x02, 0xa4, 0x01, 0x6a, ...mb(tableLength), ...table, T.SyncML, T.VerDTD, ...references, END, END]);
  refused(bomb, 'limit', /characters of text/);
});

test('fuzz: 20000 mutations of real messages only ever decode or throw SyncmlDecodeError, quickly', async () => {
  const packages = [PACKAGE_1_DM12, PACKAGE_2_DM13, PACKAGE_3_DM12];
  const seeds = [...packages.map((xml) => encodeSyncmlWbxml(decodeSyncml(xml))), ...(await Promise.all(packages.map(libwbxmlSeed)))];
  const next = random(13);
  const deadline = performance.now() + 60_000;
  const outcomes = { decoded: 0, refused: 0 };
  for (let index = 0; index < 20_000 && performance.now() < deadline; index++) {
    const input = mutate(seeds[index % seeds.length], next);
    const started = performance.now();
    try {
      decodeSyncmlWbxml(input);
      outcomes.decoded++;
    } catch (error) {
      if (!(error instanceof SyncmlDecodeError)) assert.fail(`mutation ${index} (${input.toString('hex')}) threw ${String(error)}`);
      outcomes.refused++;
    }
    assert.ok(performance.now() - started < 1000, `mutation ${index} took over a second`);
  }
  assert.equal(outcomes.decoded + outcomes.refused, 20_000, 'all mutations ran within the minute');
  assert.ok(outcomes.decoded > 0 && outcomes.refused > 0, JSON.stringify(outcomes));
});
