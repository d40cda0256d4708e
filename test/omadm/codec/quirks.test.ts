import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SyncmlDecodeError, answerContentType, decodeSyncml, encodeSyncml, isXmlSafeText, sameFormat, syncmlMediaType, type Command,
} from '../../../src/omadm/v13/codec/index.js';

const HEADER = `<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>0</SessionID><MsgID>1</MsgID>
  <Target><LocURI>http://127.0.0.1:8090/dm</LocURI></Target><Source><LocURI>IMEI:1</LocURI></Source></SyncHdr>`;

/** A message with the given SyncBody content, as a client would post it. */
const message = (body: string, header = HEADER) => `<SyncML xmlns="SYNCML:SYNCML1.2">${header}<SyncBody>${body}</SyncBody></SyncML>`;
const bodyOf = (body: string): Command[] => decodeSyncml(message(body)).body;

test('syncml:metinf elements are read with xmlns on each element, xmlns on Meta, or a prefix', () => {
  const forms = [
    `<Meta><Format xmlns="syncml:metinf">b64</Format><Type xmlns="syncml:metinf">syncml:auth-basic</Type></Meta>`,
    `<Meta xmlns="syncml:metinf"><Format>b64</Format><Type>syncml:auth-basic</Type></Meta>`,
    `<Meta xmlns:MetInf="syncml:metinf"><MetInf:Format>b64</MetInf:Format><MetInf:Type>syncml:auth-basic</MetInf:Type></Meta>`,
    `<Meta><m:Format xmlns:m='syncml:metinf'>b64</m:Format><m:Type xmlns:m='syncml:metinf'>syncml:auth-basic</m:Type></Meta>`,
  ];
  for (const meta of forms) {
    const header = HEADER.replace('</SyncHdr>', `<Cred>${meta}<Data>dTpw</Data></Cred></SyncHdr>`);
    assert.deepEqual(decodeSyncml(message('<Final/>', header)).header.cred, { meta: { format: 'b64', type: 'syncml:auth-basic' }, data: 'dTpw' }, meta);
  }
});

test('Format is compared case-insensitively: known formats read in lower case, unknown ones kept as sent', () => {
  const [replace] = bodyOf(`<Replace><CmdID>1</CmdID>
    <Item><Source><LocURI>./a</LocURI></Source><Meta><Format xmlns="syncml:metinf">Chr</Format></Meta><Data>x</Data></Item>
    <Item><Source><LocURI>./b</LocURI></Source><Meta><Format xmlns="syncml:metinf"> NODE </Format></Meta></Item>
    <Item><Source><LocURI>./c</LocURI></Source><Meta><Format xmlns="syncml:metinf">text/plain</Format></Meta><Data>1</Data></Item>
  </Replace>`);
  assert.ok(replace.kind === 'Replace');
  assert.deepEqual(replace.items.map((item) => item.meta?.format), ['chr', 'node', 'text/plain']);
  assert.ok(sameFormat('Chr', 'chr') && sameFormat(undefined, 'CHR') && sameFormat('B64', 'b64'));
  assert.ok(!sameFormat('b64', 'bin') && !sameFormat(undefined, 'node'));
});

test('a header Status without CmdRef (hostap) reads as CmdRef 0; another Status without CmdRef is refused', () => {
  const [status] = bodyOf('<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><Cmd>SyncHdr</Cmd><Data>0</Data></Status>');
  assert.ok(status.kind === 'Status');
  assert.equal(status.cmdRef, '0');
  assert.equal(status.data, 0, 'libdmclient answers an unauthenticated server header with Status 0');
  assert.throws(
    () => bodyOf('<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><Cmd>Get</Cmd><Data>200</Data></Status>'),
    (err) => err instanceof SyncmlDecodeError && err.kind === 'structure' && /CmdRef/.test(err.message) && err.header?.sessionId === '0',
  );
});

test('Data keeps control characters, surrounding white space and CDATA content exactly', () => {
  const [results] = bodyOf(`<Results><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef>
    <Item><Source><LocURI>./DevInfo/Man?prop=Format</LocURI></Source><Data>chr\u0000</Data></Item>
    <Item><Source><LocURI>./x</LocURI></Source><Data>\u0001a\u001fb\u007f</Data></Item>
    <Item><Source><LocURI>./y</LocURI></Source><Data><![CDATA[<a href="?x=1&y=2">]]></Data></Item>
    <Item><Source><LocURI>./z</LocURI></Source><Data>  two  spaces\n</Data></Item>
    <Item><Source><LocURI>./blank</LocURI></Source><Data> \t </Data></Item>
    <Item><Source><LocURI>./empty</LocURI></Source><Data/></Item>
  </Results>`);
  assert.ok(results.kind === 'Results');
  assert.deepEqual(results.items.map((item) => item.data), ['chr\u0000', '\u0001a\u001fb\u007f', '<a href="?x=1&y=2">', '  two  spaces\n', ' \t ', '']);
  assert.equal(results.msgRef, '1');
});

test('a value XML cannot carry is detectable (send it as b64); the encoder writes well-formed XML in its place', () => {
  assert.equal(isXmlSafeText('chr\u0000'), false);
  assert.equal(isXmlSafeText('tab\tand line\r\n, é, 😀'), true);
  const decoded = decodeSyncml(message('<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>'));
  const text = encodeSyncml({
    ...decoded,
    body: [{ kind: 'Replace', cmdId: '2', items: [{ target: { locUri: './x' }, data: 'a\u0000b\u0001c\r\n' }] }],
  });
  const [replace] = decodeSyncml(text).body;
  assert.ok(replace.kind === 'Replace');
  assert.equal(replace.items[0].data, 'a\uFFFDb\uFFFDc\r\n');
});

test('Final counts by presence, empty or not; no Final means more messages follow', () => {
  assert.equal(decodeSyncml(message('<Final/>')).final, true);
  assert.equal(decodeSyncml(message('<Final></Final>')).final, true);
  assert.equal(decodeSyncml(message('<Alert><CmdID>1</CmdID><Data>1222</Data></Alert>')).final, false);
});

test('an unknown command is kept in place with its CmdID, so the session can answer it', () => {
  const body = bodyOf(`<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>
    <Sync><CmdID>2</CmdID><Add><CmdID>3</CmdID></Add></Sync><Put><CmdID>4</CmdID></Put><__proto__/>
    <Get><CmdID>5</CmdID><Item><Target><LocURI>./a</LocURI></Target></Item></Get>`);
  assert.deepEqual(body.map((command) => (command.kind === 'Unknown' ? [command.name, command.cmdId] : command.kind)), [
    'Status', ['Sync', '2'], ['Put', '4'], ['__proto__', undefined], 'Get',
  ]);
  assert.equal(Object.getPrototypeOf(body[3]), Object.prototype);
});

test('identifiers stay strings: UUID CmdIDs, session 0, hex session ids; NoResp, MoreData and Meta Size are read', () => {
  const [add] = bodyOf(`<Add><CmdID>5f0c1d8e-6f4b-4d3a-9a57-0d1c2b3a4f5e</CmdID><NoResp/>
    <Item><Target><LocURI>./Big</LocURI></Target><Meta><Size xmlns="syncml:metinf">4096</Size></Meta><Data>QUJD</Data><MoreData/></Item></Add>`);
  assert.deepEqual(add, {
    kind: 'Add', cmdId: '5f0c1d8e-6f4b-4d3a-9a57-0d1c2b3a4f5e', noResp: true,
    items: [{ target: { locUri: './Big' }, meta: { size: 4096 }, data: 'QUJD', moreData: true }],
  });
  assert.equal(decodeSyncml(message('<Final/>')).header.sessionId, '0');
});

test('bytes are read as UTF-8, a byte order mark included', () => {
  const text = message('<Alert><CmdID>1</CmdID><Data>1201</Data><Item><Data>Grüße 😀</Data></Item></Alert>');
  const [alert] = decodeSyncml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])).body;
  assert.ok(alert.kind === 'Alert');
  assert.equal(alert.items[0].data, 'Grüße 😀');
});

test('media types: the DM and DS types, XML or WBXML, any case and parameters; the answer uses the same type', () => {
  assert.deepEqual(syncmlMediaType('application/vnd.syncml.dm+xml'), { mediaType: 'application/vnd.syncml.dm+xml', encoding: 'xml', family: 'dm' });
  assert.deepEqual(syncmlMediaType('Application/VND.SyncML+XML; charset=UTF-8'), { mediaType: 'application/vnd.syncml+xml', encoding: 'xml', family: 'ds' });
  assert.deepEqual(syncmlMediaType('application/vnd.syncml.dm+wbxml'), { mediaType: 'application/vnd.syncml.dm+wbxml', encoding: 'wbxml', family: 'dm' });
  assert.equal(syncmlMediaType('application/vnd.syncml+wbxml')?.family, 'ds');
  assert.equal(syncmlMediaType('application/xml'), undefined);
  assert.equal(syncmlMediaType(undefined), undefined);
  assert.equal(answerContentType(syncmlMediaType('application/vnd.syncml+xml; charset=utf-8')!), 'application/vnd.syncml+xml');
  assert.equal(answerContentType(syncmlMediaType('APPLICATION/VND.SYNCML.DM+XML')!), 'application/vnd.syncml.dm+xml');
});
