import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Alert, Command, Item, Status } from '../../src/omadm/v13/codec/index.js';
import { SimulatedDmDevice } from '../../src/sim/omadm/index.js';
import { DmScriptServer } from './dm-script-server.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const PKG_URL = './FUMO/DownloadAndUpdate/PkgURL';

async function setUp(maxObjSize = 4096) {
  const server = await DmScriptServer.start({ commandsPerMessage: 1 });
  const device = new SimulatedDmDevice({ devId: 'IMEI:4711', server: server.url, maxObjSize });
  cleanups.push(() => device.close(), () => server.close());
  return { server, device };
}

/** One chunk of a Replace of `path` (the server's side, written by hand). */
function chunk(path: string, data: string, more: boolean, size?: number): Command {
  const item: Item = { target: { locUri: path }, meta: { format: 'chr', ...(size === undefined ? {} : { size }) }, data, ...(more ? { moreData: true } : {}) };
  return { kind: 'Replace', cmdId: '', items: [item] };
}

const replaceCodes = (server: DmScriptServer) =>
  server.answers().filter((answer): answer is Status => answer.kind === 'Status' && answer.cmd === 'Replace').map((status) => status.data);

describe('simulated OMA DM device: large objects (--max-obj-size)', () => {
  it('announces MaxObjSize and LrgObj true; takes a chunked Replace with 213 per chunk and carries it out whole', async () => {
    const { server, device } = await setUp();
    const value = 'a'.repeat(300) + 'b'.repeat(300) + 'c'.repeat(10);
    server.queue(chunk(PKG_URL, value.slice(0, 300), true, value.length), chunk(PKG_URL, value.slice(300, 600), true), chunk(PKG_URL, value.slice(600), false));
    assert.equal((await device.openSession()).result, 'completed');
    assert.equal(server.received[0].header.meta?.maxObjSize, 4096);
    assert.equal(device.value('./DevDetail/LrgObj'), 'true');
    assert.deepEqual(replaceCodes(server), [213, 213, 200]);
    assert.equal(device.value(PKG_URL), value);
  });

  it('a last chunk that does not add up to the first chunk\'s Size gets 424 and changes nothing', async () => {
    const { server, device } = await setUp();
    server.queue(chunk(PKG_URL, 'x'.repeat(100), true, 500), chunk(PKG_URL, 'y'.repeat(100), false));
    assert.equal((await device.openSession()).result, 'completed');
    assert.deepEqual(replaceCodes(server), [213, 424]);
    assert.equal(device.value(PKG_URL), '');
  });

  it('an object over MaxObjSize is refused with 413, its later chunks too', async () => {
    const { server, device } = await setUp(1024);
    server.queue(chunk(PKG_URL, 'x'.repeat(100), true, 5000), chunk(PKG_URL, 'y'.repeat(100), false));
    assert.equal((await device.openSession()).result, 'completed');
    assert.deepEqual(replaceCodes(server), [413, 413]);
    assert.equal(device.value(PKG_URL), '');
  });

  it('a server that sends something else before the last chunk gets Alert 1225 naming the object', async () => {
    const { server, device } = await setUp();
    server.queue(chunk(PKG_URL, 'x'.repeat(100), true, 300), { kind: 'Get', cmdId: '', items: [{ target: { locUri: './DevInfo/Man' } }] });
    assert.equal((await device.openSession()).result, 'completed');
    const cutOff = server.received.flatMap((message) => message.body).filter((command): command is Alert => command.kind === 'Alert' && command.data === 1225);
    assert.deepEqual(cutOff.map((alert) => alert.items[0].target?.locUri), [PKG_URL]);
    assert.equal(device.value(PKG_URL), '');
  });

  it('without --max-obj-size the device has no large objects: LrgObj false, MoreData ignored (as libdmclient)', async () => {
    const server = await DmScriptServer.start({ commandsPerMessage: 1 });
    const device = new SimulatedDmDevice({ devId: 'IMEI:4712', server: server.url });
    cleanups.push(() => device.close(), () => server.close());
    server.queue(chunk(PKG_URL, 'first', true, 10));
    assert.equal((await device.openSession()).result, 'completed');
    assert.equal(device.value('./DevDetail/LrgObj'), 'false');
    assert.equal(server.received[0].header.meta?.maxObjSize, undefined);
    assert.deepEqual(replaceCodes(server), [200]);
  });
});
