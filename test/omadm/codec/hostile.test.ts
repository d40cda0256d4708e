import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DECODE_LIMITS, SyncmlDecodeError, decodeSyncml, type DecodeErrorKind } from '../../../src/omadm/v13/codec/index.js';
import { PACKAGE_1_DM12, PACKAGE_2_DM13 } from './packages.js';

const HEADER = `<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>7</SessionID><MsgID>1</MsgID>
  <Target><LocURI>http://127.0.0.1:8090/dm</LocURI></Target><Source><LocURI>IMEI:1</LocURI></Source></SyncHdr>`;
const message = (body: string, header = HEADER) => `<SyncML xmlns="SYNCML:SYNCML1.2">${header}<SyncBody>${body}</SyncBody></SyncML>`;

// A stall guard, not a speed target: every refusal below takes milliseconds; an expansion or a loop would not end.
const STALL_MS = 5000;

function refused(input: string | Buffer, kind: DecodeErrorKind, reason: RegExp, limits = DEFAULT_DECODE_LIMITS): SyncmlDecodeError {
  const started = performance.now();
  let caught: unknown;
  try {
    decodeSyncml(input, limits);
  } catch (error) {
    caught = error;
  }
  assert.ok(performance.now() - started < STALL_MS, 'refused without stalling');
  assert.ok(caught instanceof SyncmlDecodeError, `a SyncmlDecodeError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  assert.match(caught.message, reason);
  return caught;
}

test('a truncated message at any point is refused with a SyncmlDecodeError', () => {
  for (let end = 0; end < PACKAGE_2_DM13.length - 1; end += 23) {
    const truncated = PACKAGE_2_DM13.slice(0, end);
    assert.throws(() => decodeSyncml(truncated), (err) => err instanceof SyncmlDecodeError && /^(xml|structure)$/.test(err.kind), `cut at ${end}`);
  }
  const error = refused(PACKAGE_1_DM12.slice(0, PACKAGE_1_DM12.indexOf('<Final/>')), 'xml', /malformed XML/);
  assert.equal(error.httpStatus, 400);
});

test('not a SyncML document: empty, binary (WBXML), another root, no SyncHdr, no SyncBody', () => {
  refused('', 'xml', /empty/);
  refused('   \n', 'xml', /empty/);
  refused(Buffer.from([0x02, 0xa4, 0x01, 0x6a, 0x00, 0x6d, 0x6c]), 'xml', /malformed XML/);
  refused('<m2m:cin xmlns:m2m="http://www.onem2m.org/xml/protocols"/>', 'structure', /root element is <cin>/);
  refused('<SyncML><SyncBody/></SyncML>', 'structure', /no <SyncHdr>/);
  const noBody = refused(`<SyncML>${HEADER}</SyncML>`, 'structure', /no <SyncBody>/);
  assert.equal(noBody.header?.sessionId, '7', 'the readable header comes with the error');
  refused(message('<Alert><CmdID>1</CmdID><Data>next</Data></Alert>'), 'structure', /Alert code "next"/);
  refused(message('<Exec><CmdID>1</CmdID></Exec>'), 'structure', /exactly one <Item>/);
  refused(message('<Replace><CmdID>1</CmdID><Item><Data><DevInfo>x</DevInfo></Data></Item></Replace>'), 'structure', /escaped or in CDATA/);
});

test('a wrong VerDTD answers 505, a wrong VerProto 513, with the header to echo', () => {
  const dtd = refused(message('<Final/>', HEADER.replace('<VerDTD>1.2', '<VerDTD>1.1')), 'version', /VerDTD "1.1"/);
  assert.equal(dtd.syncmlStatus, 505);
  assert.deepEqual([dtd.header?.sessionId, dtd.header?.msgId, dtd.header?.source.locUri], ['7', '1', 'IMEI:1']);
  const proto = refused(message('<Final/>', HEADER.replace('DM/1.2', 'SyncML/1.2')), 'version', /VerProto "SyncML\/1.2"/);
  assert.equal(proto.syncmlStatus, 513);
  assert.equal(refused(message('<Final/>', HEADER.replace('DM/1.2', 'DM/2.0')), 'version', /VerProto/).syncmlStatus, 513);
});

test('a DOCTYPE or an entity declaration is refused before parsing, whatever its form', () => {
  refused(`<?xml version="1.0"?><!DOCTYPE SyncML PUBLIC "-//SYNCML//DTD SyncML 1.2//EN" "http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd">${message('<Final/>')}`, 'dtd', /DOCTYPE/);
  refused(`<!-- x --><!doctype SyncML [<!ENTITY a "b">]>${message('<Final/>')}`, 'dtd', /DOCTYPE/);
  refused(`<!ENTITY a "b">${message('<Final/>')}`, 'dtd', /markup declarations \(<!ENTITY/);
  refused(message('<!ATTLIST SyncML a CDATA "x"><Final/>'), 'dtd', /markup declarations \(<!ATTLIST/);
  refused(message('<!ENTITY x SYSTEM "file:///etc/passwd"><Final/>'), 'dtd', /markup declarations/);
  refused(message('<Final/>').replace('<SyncBody>', '<SyncBody><!DOCTYPE x>'), 'dtd', /DOCTYPE/);
  // As data inside CDATA or a comment, the same text is harmless.
  const [alert] = decodeSyncml(message('<!-- <!ENTITY a "b"> --><Alert><CmdID>1</CmdID><Data>1201</Data><Item><Data><![CDATA[<!DOCTYPE x [<!ENTITY y "z">]>]]></Data></Item></Alert>')).body;
  assert.ok(alert.kind === 'Alert');
  assert.equal(alert.items[0].data, '<!DOCTYPE x [<!ENTITY y "z">]>');
});

test('billion laughs and an external entity are refused; an entity never declared is not expanded either', () => {
  const laughs = ['<!ENTITY lol "lol">']
    .concat(Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i ? i : ''};`.repeat(10)}">`))
    .join('');
  const bomb = `<?xml version="1.0"?><!DOCTYPE SyncML [${laughs}]>${message('<Alert><CmdID>1</CmdID><Data>1201</Data><Item><Data>&lol9;</Data></Item></Alert>')}`;
  refused(bomb, 'dtd', /DOCTYPE/);
  refused(`<!DOCTYPE SyncML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${message('<Final/>')}`, 'dtd', /DOCTYPE/);
  refused(message('<Alert><CmdID>1</CmdID><Data>1201</Data><Item><Data>&lol9;</Data></Item></Alert>'), 'xml', /Invalid character entity/);
  // sax knows the HTML entities unless told otherwise: only the five XML ones are allowed.
  refused(message('<Alert><CmdID>1</CmdID><Data>1201</Data><Item><Data>a&nbsp;b&copy;</Data></Item></Alert>'), 'xml', /Invalid character entity/);
  refused(message('<Alert><CmdID>1</CmdID><Data>1201</Data><Item><Data>&#0;</Data></Item></Alert>'), 'xml', /Invalid character entity/);
  const [alert] = decodeSyncml(message('<Alert><CmdID>1</CmdID><Data>1201</Data><Item><Data>&lt;&amp;&gt;&quot;&apos;&#65;&#x42;</Data></Item></Alert>')).body;
  assert.ok(alert.kind === 'Alert');
  assert.equal(alert.items[0].data, '<&>"\'AB');
});

test('a huge attribute or text is refused by size, or read without harm below it', () => {
  const attribute = 'x'.repeat(200_000);
  const withAttribute = message('<Final/>', HEADER.replace('<SyncHdr>', `<SyncHdr a="${attribute}">`));
  const started = performance.now();
  assert.equal(decodeSyncml(withAttribute).header.sessionId, '7', 'attributes other than xmlns are ignored');
  assert.ok(performance.now() - started < STALL_MS);
  const tooLarge = refused(message(`<Final/>`, HEADER.replace('<SyncHdr>', `<SyncHdr a="${'x'.repeat(DEFAULT_DECODE_LIMITS.maxBytes)}">`)), 'limit', /over the limit/);
  assert.deepEqual([tooLarge.syncmlStatus, tooLarge.httpStatus], [413, 413]);
  // A large object chunk of 600 KB (b64) stays one Data value.
  const chunk = 'QUJD'.repeat(150_000);
  const [replace] = decodeSyncml(message(`<Replace><CmdID>1</CmdID><Item><Target><LocURI>./FUMO/Update/PkgData</LocURI></Target><Data>${chunk}</Data><MoreData/></Item></Replace>`)).body;
  assert.ok(replace.kind === 'Replace');
  assert.equal(replace.items[0].data, chunk);
  const cdata = 'y'.repeat(100_000);
  const [results] = decodeSyncml(message(`<Results><CmdID>1</CmdID><CmdRef>2</CmdRef><Item><Data><![CDATA[${cdata}]]></Data></Item></Results>`)).body;
  assert.ok(results.kind === 'Results');
  assert.equal(results.items[0].data, cdata);
});

test('deep nesting: Atomic/Sequence beyond the group depth, elements beyond the element depth', () => {
  const nest = (depth: number, inner: string) => '<Sequence><CmdID>s</CmdID>'.repeat(depth) + inner + '</Sequence>'.repeat(depth);
  const get = '<Get><CmdID>g</CmdID><Item><Target><LocURI>./a</LocURI></Target></Item></Get>';
  assert.equal(decodeSyncml(message(nest(DEFAULT_DECODE_LIMITS.maxGroupDepth, get))).body.length, 1);
  const groups = refused(message(nest(DEFAULT_DECODE_LIMITS.maxGroupDepth + 1, get)), 'limit', /Atomic\/Sequence nested deeper than 4/);
  assert.equal(groups.header?.sessionId, '7');
  refused(message(nest(5000, get)), 'limit', /elements nested deeper than 24/);
  refused(message(`<Alert><CmdID>1</CmdID><Data>1201</Data><Item><Data>${'<a>'.repeat(100_000)}</Data></Item></Alert>`), 'limit', /elements nested deeper/);
});

test('the number of commands and Items is bounded, nested commands counted', () => {
  const get = (i: number) => `<Get><CmdID>${i}</CmdID><Item><Target><LocURI>./a</LocURI></Target></Item></Get>`;
  const many = Array.from({ length: DEFAULT_DECODE_LIMITS.maxCommands + 1 }, (_, i) => get(i)).join('');
  const error = refused(message(many), 'limit', /more than 2000 commands/);
  assert.deepEqual([error.syncmlStatus, error.header?.msgId], [413, '1']);
  const limits = { ...DEFAULT_DECODE_LIMITS, maxCommands: 3, maxItems: 4 };
  assert.equal(decodeSyncml(message(`<Atomic><CmdID>1</CmdID>${get(2)}${get(3)}</Atomic>`), limits).body.length, 1);
  refused(message(`<Atomic><CmdID>1</CmdID>${get(2)}${get(3)}${get(4)}</Atomic>`), 'limit', /more than 3 commands/, limits);
  const items = '<Item><Target><LocURI>./a</LocURI></Target></Item>'.repeat(5);
  refused(message(`<Get><CmdID>1</CmdID>${items}</Get>`), 'limit', /more than 4 Items/, limits);
});

test('after every refusal the decoder still reads a good message', () => {
  assert.throws(() => decodeSyncml('<SyncML><SyncHdr>'));
  assert.equal(decodeSyncml(PACKAGE_1_DM12).body.length, 2);
});

test('unclosed comments or CDATA sections repeated to the size limit are refused in linear time', () => {
  const size = DEFAULT_DECODE_LIMITS.maxBytes - 1024;
  for (const opener of ['<!--', '<![CDATA[']) {
    refused(message(opener.repeat(Math.floor(size / opener.length))), 'xml', /malformed XML|not closed|unclosed|Unexpected end/i);
  }
});
