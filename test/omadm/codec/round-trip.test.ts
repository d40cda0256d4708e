import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSyncml, encodeSyncml, type Command, type SyncmlMessage } from '../../../src/omadm/v13/codec/index.js';
import { PACKAGE_1_DM12, PACKAGE_2_DM13, PACKAGE_3_DM12 } from './packages.js';

const asDm13 = (xml: string) => xml.replace('<VerProto>DM/1.2</VerProto>', '<VerProto>DM/1.3</VerProto>');
const asDm12 = (xml: string) => xml.replace('<VerProto>DM/1.3</VerProto>', '<VerProto>DM/1.2</VerProto>');

/** Kinds in document order, groups as [kind, [...inner]]. */
function outline(commands: Command[]): unknown[] {
  return commands.map((command) => ('commands' in command ? [command.kind, outline(command.commands)] : command.kind));
}

function assertRoundTrip(xml: string): SyncmlMessage {
  const message = decodeSyncml(xml);
  const encoded = encodeSyncml(message);
  assert.deepEqual(decodeSyncml(encoded), message, 'decode(encode(message)) is the message');
  assert.equal(encodeSyncml(decodeSyncml(encoded)), encoded, 'the encoding is stable');
  return message;
}

test('package 1 (Alert 1201 and the DevInfo Replace) decodes to the typed message, DM 1.2 and 1.3, and round-trips', () => {
  for (const [xml, verProto] of [[PACKAGE_1_DM12, 'DM/1.2'], [asDm13(PACKAGE_1_DM12), 'DM/1.3']] as const) {
    const message = assertRoundTrip(xml);
    assert.deepEqual(message.header, {
      verDtd: '1.2',
      verProto,
      sessionId: '1',
      msgId: '1',
      target: { locUri: 'http://127.0.0.1:8090/dm' },
      source: { locUri: 'IMEI:493005100592800', locName: 'dmuser' },
      cred: { meta: { format: 'b64', type: 'syncml:auth-md5' }, data: 'Wp5a3MAYJ1hYOJ3HPNV6Ow==' },
      meta: { maxMsgSize: 16384 },
    });
    assert.equal(message.final, true);
    assert.deepEqual(message.body[0], { kind: 'Alert', cmdId: '1', data: 1201, items: [] });
    const replace = message.body[1];
    assert.equal(replace.kind, 'Replace');
    assert.ok(replace.kind === 'Replace');
    assert.deepEqual(replace.items.map((item) => [item.source?.locUri, item.meta?.format, item.data]), [
      ['./DevInfo/Ext', 'node', 'Conf'],
      ['./DevInfo/Lang', 'chr', 'en-US'],
      ['./DevInfo/DmV', undefined, '1.2'],
      ['./DevInfo/Man', undefined, 'Acme & Sons'],
      ['./DevInfo/DevId', undefined, 'IMEI:493005100592800'],
      ['./DevInfo/Mod', undefined, 'Tracker 3'],
    ]);
    assert.deepEqual(replace.items[1].meta, { format: 'chr', type: 'text/plain' });
  }
});

test('package 2 keeps the order of mixed commands, inside Atomic and Sequence too, DM 1.3 and 1.2, and round-trips', () => {
  for (const [xml, verProto] of [[PACKAGE_2_DM13, 'DM/1.3'], [asDm12(PACKAGE_2_DM13), 'DM/1.2']] as const) {
    const message = assertRoundTrip(xml);
    assert.equal(message.header.verProto, verProto);
    assert.equal(message.header.sessionId, '4F2');
    assert.equal(message.header.respUri, 'http://127.0.0.1:8090/dm?s=abc123');
    assert.deepEqual(message.header.meta, { maxMsgSize: 65536, maxObjSize: 524288 });
    assert.deepEqual(outline(message.body), [
      'Status', 'Status', 'Status', 'Get', 'Replace', 'Exec',
      ['Atomic', ['Add', ['Sequence', ['Replace', 'Delete']], 'Add']],
      ['Sequence', ['Add', 'Replace', 'Add']],
      'Copy',
    ]);
    const [headerStatus] = message.body;
    assert.deepEqual(headerStatus, {
      kind: 'Status', cmdId: '1', msgRef: '1', cmdRef: '0', cmd: 'SyncHdr',
      targetRefs: ['http://127.0.0.1:8090/dm'], sourceRefs: ['IMEI:493005100592800'],
      chal: { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: 'AAECAwQFBgcICQoLDA0ODw==' } },
      items: [], data: 212,
    });
    assert.deepEqual(message.body[5], {
      kind: 'Exec', cmdId: '6', correlator: 'op-7', item: { target: { locUri: './FUMO/DownloadAndUpdate' } },
    });
    const replace = message.body[4];
    assert.ok(replace.kind === 'Replace');
    assert.equal(replace.items[0].data, 'http://fw.example/pkg?a=1&b=2');
    const copy = message.body[8];
    assert.ok(copy.kind === 'Copy');
    assert.deepEqual(copy.items[0], { target: { locUri: './Vendor/D' }, source: { locUri: './Vendor/A' } });
  }
});

test('package 3 (Status, Results, Generic Alert with Correlator) decodes and round-trips', () => {
  for (const xml of [PACKAGE_3_DM12, asDm13(PACKAGE_3_DM12)]) {
    const message = assertRoundTrip(xml);
    const [headerStatus, getStatus, results, execStatus, alert] = message.body;
    assert.deepEqual(headerStatus, {
      kind: 'Status', cmdId: '1', msgRef: '1', cmdRef: '0', cmd: 'SyncHdr',
      targetRefs: ['IMEI:493005100592800'], sourceRefs: ['http://127.0.0.1:8090/dm'], items: [], data: 200,
    });
    assert.ok(getStatus.kind === 'Status' && getStatus.cmdRef === '4' && getStatus.data === 200);
    assert.deepEqual(results, {
      kind: 'Results', cmdId: '3', msgRef: '1', cmdRef: '4', targetRefs: [], sourceRefs: [],
      items: [{ source: { locUri: './DevDetail' }, meta: { format: 'node' }, data: 'URI/DevTyp/OEM/FwV/SwV/HwV/LrgObj' }],
    });
    assert.ok(execStatus.kind === 'Status' && execStatus.data === 202);
    assert.deepEqual(alert, {
      kind: 'Alert', cmdId: '5', data: 1226, correlator: 'op-7',
      items: [{
        source: { locUri: './FUMO' },
        meta: { type: 'org.openmobilealliance.dm.firmwareupdate.downloadandupdate', format: 'int', mark: 'critical' },
        data: '200',
      }],
    });
    assert.equal(message.final, true);
  }
});

test('the encoder writes the DTD order, the metinf namespace on Meta children, Final only when set', () => {
  const message = decodeSyncml(PACKAGE_3_DM12);
  const text = encodeSyncml({ ...message, final: false });
  assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?><SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD>'));
  assert.match(text, /<Status><CmdID>1<\/CmdID><MsgRef>1<\/MsgRef><CmdRef>0<\/CmdRef><Cmd>SyncHdr<\/Cmd><TargetRef>[^<]*<\/TargetRef><SourceRef>[^<]*<\/SourceRef><Data>200<\/Data><\/Status>/);
  assert.match(text, /<Meta><Format xmlns="syncml:metinf">node<\/Format><\/Meta>/);
  assert.doesNotMatch(text, /<Final\/>/);
  assert.equal(decodeSyncml(text).final, false);
  assert.match(encodeSyncml(message), /<\/Alert><Final\/><\/SyncBody><\/SyncML>$/);
});

test('a server message built in code interleaves differently-named commands in the given order', () => {
  const message: SyncmlMessage = {
    header: {
      verDtd: '1.2', verProto: 'DM/1.2', sessionId: '0', msgId: '1',
      target: { locUri: 'IMEI:1' }, source: { locUri: 'http://127.0.0.1:8090/dm' },
    },
    body: [
      { kind: 'Sequence', cmdId: '1', commands: [
        { kind: 'Add', cmdId: '2', items: [{ target: { locUri: './A' }, meta: { format: 'node' } }] },
        { kind: 'Replace', cmdId: '3', items: [{ target: { locUri: './A/x' }, data: '<1 & 2>\r\n' }] },
        { kind: 'Add', cmdId: '4', items: [{ target: { locUri: './A/y' }, data: '' }] },
      ] },
      { kind: 'Alert', cmdId: '5', data: 1223, items: [] },
    ],
    final: true,
  };
  const text = encodeSyncml(message);
  assert.match(text, /<Sequence><CmdID>1<\/CmdID><Add>.*<\/Add><Replace>.*<\/Replace><Add>.*<\/Add><\/Sequence><Alert>/s);
  assert.deepEqual(decodeSyncml(text), message);
});
