/** Our WBXML against Debian's libwbxml (`wbxml2xml`, `xml2wbxml`, installed by .ci/test-peers) on the same packages, both ways. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeSyncml, decodeSyncmlWbxml, encodeSyncml, encodeSyncmlWbxml, type SyncmlMessage } from '../../../src/omadm/v13/codec/index.js';
import { PACKAGE_1_DM12, PACKAGE_2_DM13, PACKAGE_3_DM12 } from './packages.js';

const run = promisify(execFile);
const TOOL_TIMEOUT_MS = 10_000;

const PACKAGES: ReadonlyArray<[string, string]> = [
  ['package 1 (DM 1.2 client)', PACKAGE_1_DM12],
  ['package 2 (DM 1.3 server)', PACKAGE_2_DM13],
  ['package 3 (DM 1.2 client)', PACKAGE_3_DM12],
];

async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'wbxml-oracle-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** wbxml2xml prints a DOCTYPE, which our XML decoder refuses on purpose: the comparison is of the documents' content. */
const withoutDoctype = (xml: string) => xml.replace(/<!DOCTYPE[^>]*>/, '');

async function wbxml2xml(wbxml: Buffer): Promise<string> {
  return inTempDir(async (dir) => {
    await writeFile(join(dir, 'in.wbxml'), wbxml);
    await run('wbxml2xml', ['-m', '0', '-o', join(dir, 'out.xml'), join(dir, 'in.wbxml')], { timeout: TOOL_TIMEOUT_MS });
    return readFile(join(dir, 'out.xml'), 'utf8');
  });
}

async function xml2wbxml(xml: string, args: string[]): Promise<Buffer> {
  return inTempDir(async (dir) => {
    await writeFile(join(dir, 'in.xml'), xml);
    await run('xml2wbxml', [...args, '-o', join(dir, 'out.wbxml'), join(dir, 'in.xml')], { timeout: TOOL_TIMEOUT_MS });
    return readFile(join(dir, 'out.wbxml'));
  });
}

/** The packages, plus a message of our own encoder: what the server sends. */
function messages(): Array<[string, SyncmlMessage]> {
  return PACKAGES.map(([name, xml]) => [name, decodeSyncml(xml)]);
}

test('our WBXML of each package decodes with wbxml2xml to the document our XML says', async () => {
  for (const [name, message] of messages()) {
    const wbxml = encodeSyncmlWbxml(message);
    assert.deepEqual([...wbxml.subarray(0, 5)], [0x02, 0xa4, 0x01, 0x6a, 0x00], `${name}: WBXML 1.2, SyncML 1.2, UTF-8, no string table`);
    assert.ok(wbxml.length < Buffer.byteLength(encodeSyncml(message)) / 2, `${name}: WBXML is at most half the XML`);
    const xml = await wbxml2xml(wbxml);
    assert.match(xml, /-\/\/SYNCML\/\/DTD SyncML 1\.2\/\/EN/, `${name}: libwbxml recognised SyncML 1.2`);
    assert.deepEqual(decodeSyncml(withoutDoctype(xml)), message, name);
    assert.deepEqual(decodeSyncmlWbxml(wbxml), message, `${name}: and our decoder reads it back`);
  }
});

test('xml2wbxml output of each package (WBXML 1.2 without string table, and the default 1.3 with one) decodes to the same model', async () => {
  for (const [name, xml] of PACKAGES) {
    const expected = decodeSyncml(xml);
    for (const args of [['-n', '-v', '1.2'], []]) {
      const wbxml = await xml2wbxml(xml, args);
      assert.deepEqual(decodeSyncmlWbxml(wbxml), expected, `${name} with xml2wbxml ${args.join(' ') || '(defaults)'}`);
    }
    // Our own XML encoding of the model, too: what the server sends over XML.
    const ours = await xml2wbxml(encodeSyncml(expected), []);
    assert.ok(ours[0] === 0x03 && ours[4] > 0, `${name}: the default is WBXML 1.3 with a string table`);
    assert.deepEqual(decodeSyncmlWbxml(ours), expected, `${name}: our XML through xml2wbxml`);
  }
});

test('text with a NUL (libdmclient sent `chr\\0`) travels as OPAQUE and wbxml2xml reads it as text', async () => {
  const message = decodeSyncml(PACKAGE_3_DM12);
  const results = message.body.find((command) => command.kind === 'Results');
  assert.ok(results?.kind === 'Results');
  results.items[0].data = 'chr\0';
  const wbxml = encodeSyncmlWbxml(message);
  assert.deepEqual(decodeSyncmlWbxml(wbxml), message);
  assert.match(await wbxml2xml(wbxml), /<Data>(chr\0|<!\[CDATA\[chr\0\]\]>)<\/Data>/);
});
