import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wrap } from '../../management/managed-devices.js';
import { PATIENT, managedDmDevice, oneM2M, throughSession } from './dm-adapter-kit.js';

const DEV = 'IMEI:5001';
const PKG_URL = './FUMO/DownloadAndUpdate/PkgURL';
/** Both sides accept at most 2 KiB a message: a firmware URL of some KB travels in chunks each way. */
const SMALL_MESSAGES = { DM_BODY_LIMIT_BYTES: '2048' };
const LARGE_OBJECT_DEVICE = { maxMsgSize: 2048, maxObjSize: 64 * 1024 };

/** ~6 KB, with characters the XML text escapes (`&`) and some outside ASCII. */
const BIG_URL = `http://fw.example/pkg/2.0.0/ünïcode?${Array.from({ length: 700 }, (_, i) => `p${i}=v${i}`).join('&')}`;

const events = (dm: { sim: { events: Array<Record<string, unknown>> } }, name: string) => dm.sim.events.filter((event) => event.event === name);

test('a firmware URL larger than MaxMsgSize travels in chunks both ways: Update (Replace in chunks, 213 each) and Retrieve (Results in chunks, assembled)', async (t) => {
  const dm = await managedDmDevice(t, DEV, LARGE_OBJECT_DEVICE, SMALL_MESSAGES);
  assert.ok(Buffer.byteLength(BIG_URL) > 3 * 2048);
  assert.equal(dm.sim.value('./DevDetail/LrgObj'), 'true');

  const update = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { url: BIG_URL }), PATIENT));
  assert.equal(update.rsc, 2004, update.dbg);
  assert.equal(dm.sim.value(PKG_URL), BIG_URL);
  const received = events(dm, 'chunk-received').filter((event) => event.path === PKG_URL);
  assert.ok(received.length >= 3, `chunks received: ${received.length}`);
  assert.deepEqual(received.map((event) => event.status), [...received.slice(1).map(() => 213), 200], 'the device answers 213 to every chunk but the last');

  const read = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'GET', `${dm.node}/firmware`, undefined, PATIENT));
  assert.equal(read.rsc, 2000, read.dbg);
  assert.equal(read.body.url, BIG_URL, 'the Results assembled across messages');
  assert.equal(read.body.fwn, 'dm-sim-firmware', 'the Items after the object came with its last chunk');
  const sent = events(dm, 'chunk-sent').filter((event) => event.path === PKG_URL);
  assert.ok(sent.length >= 3, `chunks sent: ${sent.length}`);
  assert.equal(sent[0].size, Buffer.byteLength(BIG_URL), 'Meta Size on the first chunk counts the bytes');
  assert.deepEqual(events(dm, 'oversize-message'), [], 'no server message above the device\'s MaxMsgSize');
  assert.deepEqual(events(dm, 'chunk-answered'), [], 'no chunk refused');
});

test('a device whose Meta Size is wrong gets 424 on the last chunk and the Retrieve fails through the status tables', async (t) => {
  const dm = await managedDmDevice(t, DEV, LARGE_OBJECT_DEVICE, SMALL_MESSAGES);
  dm.sim.setValue(PKG_URL, BIG_URL);
  dm.sim.faults.wrongChunkSize = true;
  const read = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'GET', `${dm.node}/firmware`, undefined, PATIENT));
  assert.notEqual(read.rsc, 2000, read.dbg);
  assert.match(read.dbg ?? '', /PkgURL → 424/);
  assert.deepEqual(events(dm, 'chunk-answered').map((event) => event.status), [424]);
});

test('a device that stops sending its chunks before the last gets Alert 1225; the Retrieve fails (424 on the node)', async (t) => {
  const dm = await managedDmDevice(t, DEV, LARGE_OBJECT_DEVICE, SMALL_MESSAGES);
  dm.sim.setValue(PKG_URL, BIG_URL);
  dm.sim.faults.cutChunksAfter = 1;
  const read = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'GET', `${dm.node}/firmware`, undefined, PATIENT));
  assert.notEqual(read.rsc, 2000, read.dbg);
  assert.match(read.dbg ?? '', /PkgURL → 424/);
  assert.equal(events(dm, 'chunks-cut').length, 1);
  assert.deepEqual(events(dm, 'server-cut-off').map((event) => event.path), [PKG_URL]);
});

test('an object over the device\'s MaxObjSize is not sent: the Update answers what the status tables make of 413', async (t) => {
  const dm = await managedDmDevice(t, DEV, { maxMsgSize: 2048, maxObjSize: 1024 }, SMALL_MESSAGES);
  const before = dm.sim.value(PKG_URL);
  const update = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { url: BIG_URL }), PATIENT));
  assert.notEqual(update.rsc, 2004, update.dbg);
  assert.match(update.dbg ?? '', /→ 413/);
  assert.equal(dm.sim.value(PKG_URL), before);
  assert.deepEqual(dm.sim.events.filter((event) => event.event === 'command' && event.path === PKG_URL), [], 'the device saw no Replace');
});

test('a device without large-object support that takes the first chunk for the whole value (200, as libdmclient): the Update answers 413, no more chunks go', async (t) => {
  const dm = await managedDmDevice(t, DEV, { maxMsgSize: 2048 }, SMALL_MESSAGES);
  assert.equal(dm.sim.value('./DevDetail/LrgObj'), 'false');
  const update = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { url: BIG_URL }), PATIENT));
  assert.notEqual(update.rsc, 2004, update.dbg);
  assert.match(update.dbg ?? '', /→ 413/);
  const replaces = dm.sim.events.filter((event) => event.event === 'command' && event.cmd === 'Replace' && event.path === PKG_URL);
  assert.equal(replaces.length, 1, 'only the first chunk went out');
  assert.notEqual(dm.sim.value(PKG_URL), BIG_URL);
});
