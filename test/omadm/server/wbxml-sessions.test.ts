/** DM sessions over WBXML: decoded by Content-Type, answered in the type the device used, MaxMsgSize measured in WBXML. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Alert, SYNCML_DM_WBXML, SYNCML_DS_WBXML, decodeSyncmlWbxml, encodeSyncmlWbxml } from '../../../src/omadm/v13/codec/index.js';
import { managedDmDevice, oneM2M, PATIENT, throughSession } from '../adapter/dm-adapter-kit.js';
import { startTestProxy } from '../../helpers/proxy-harness.js';
import { device, dmUrl, enrol, message, proxyWithOmadm, readNode, statusOf } from './dm-test-kit.js';

const alert1201: Alert = { kind: 'Alert', cmdId: '1', data: 1201, items: [] };

test('a device over WBXML gets its node; the proxy answers in WBXML, in the DM or DS type the device posted', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:wbxml');
  const sim = device(t, proxy, { devId: 'IMEI:wbxml', encoding: 'wbxml' });
  const outcome = await sim.openSession();
  assert.equal(outcome.result, 'completed', outcome.reason);
  const node = await readNode(proxy, 'IMEI:wbxml');
  assert.equal(node.rsc, '2000');

  const url = dmUrl(proxy);
  for (const type of [SYNCML_DM_WBXML, SYNCML_DS_WBXML]) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(encodeSyncmlWbxml(message('IMEI:wbxml', 1, [alert1201], true, false, url))) });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), type);
    const answer = decodeSyncmlWbxml(Buffer.from(await response.arrayBuffer()));
    assert.equal(statusOf(answer, '0')?.data, 407, 'no Cred: challenged, in WBXML');
    assert.ok(statusOf(answer, '0')?.chal?.meta.nextNonce, 'with a nonce');
  }
});

test('malformed WBXML gets the answers malformed XML gets, and the proxy keeps serving', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  const url = dmUrl(proxy);
  const good = encodeSyncmlWbxml(message('IMEI:hostile-wbxml', 1, [alert1201], true, true, url));
  const send = (body: Uint8Array) => fetch(url, { method: 'POST', headers: { 'content-type': SYNCML_DM_WBXML }, body: new Uint8Array(body) });

  for (const body of [good.subarray(0, good.length / 2), Buffer.from([0x02, 0xa4, 0x01, 0x6a, 0x00, 0x6d, 0xc6]), Buffer.from('<SyncML/>')]) {
    const refused = await send(body);
    assert.equal(refused.status, 400);
    assert.match(refused.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await refused.text(), /not a SyncML DM message: malformed WBXML/);
  }
  const deep = Buffer.from([...good.subarray(0, 5), 0x6d, ...Array(40).fill(0x54)]);
  assert.equal((await send(deep)).status, 400, 'nesting past the limit');

  const wrongVersion = Buffer.from(good);
  wrongVersion[wrongVersion.indexOf('1.2') + 2] = '1'.charCodeAt(0); // VerDTD 1.1
  const versioned = await send(wrongVersion);
  assert.equal(versioned.status, 200, 'a readable SyncHdr gets a SyncML answer, in WBXML');
  assert.equal(versioned.headers.get('content-type'), SYNCML_DM_WBXML);
  assert.equal(statusOf(decodeSyncmlWbxml(Buffer.from(await versioned.arrayBuffer())), '0')?.data, 505);

  await enrol(proxy, 'IMEI:after-wbxml');
  assert.equal((await device(t, proxy, { devId: 'IMEI:after-wbxml', encoding: 'wbxml' }).openSession()).result, 'completed');
});

test('the MaxMsgSize of a WBXML device is measured in WBXML: the same queue goes out in fewer messages than to an XML device', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  const messages = new Map<string, number>();
  omadm.events = {
    commandsSent: (devId) => void messages.set(devId, (messages.get(devId) ?? 0) + 1),
    commandsExpired: () => undefined,
    commandAnswered: () => undefined,
    commandLost: () => undefined,
    genericAlert: () => undefined,
  };
  for (const [devId, encoding] of [['IMEI:size-xml', 'xml'], ['IMEI:size-wbxml', 'wbxml']] as const) {
    await enrol(proxy, devId);
    for (let i = 0; i < 12; i++) await omadm.commandQueue.enqueue(devId, { kind: 'Get', cmdId: '', items: [{ target: { locUri: `./Vendor/Setting${i}` } }] });
    const sim = device(t, proxy, { devId, encoding, maxMsgSize: 1500 });
    const outcome = await sim.openSession();
    assert.equal(outcome.result, 'completed', outcome.reason);
    assert.ok(!sim.events.some((event) => event.event === 'oversize-message'), `${devId}: every server message fits the MaxMsgSize`);
    assert.deepEqual(await omadm.commandQueue.waiting(devId), []);
  }
  const xml = messages.get('IMEI:size-xml') ?? 0;
  const wbxml = messages.get('IMEI:size-wbxml') ?? 0;
  assert.ok(xml > 1 && wbxml < xml, `XML in ${xml} messages, WBXML in ${wbxml}`);
});

test('a oneM2M Retrieve of deviceInfo through a WBXML session answers 2000', async (t) => {
  const devId = 'IMEI:wbxml-info';
  const dm = await managedDmDevice(t, devId, { encoding: 'wbxml' });
  const info = await throughSession(dm, devId, () => oneM2M(dm.proxy, 'GET', `${dm.node}/deviceInfo`, undefined, PATIENT));
  assert.equal(info.rsc, 2000, info.dbg);
  assert.equal(info.body.dlb, devId);
  assert.equal(info.body.fwv, '1.0.0');
});
