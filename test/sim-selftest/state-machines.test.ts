import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContentFormat } from '../../src/lwm2m/formats/index.js';
import { downlink, eventually, withSimulatedDevice } from './test-peer.js';

const { TEXT, OPAQUE } = ContentFormat;
const timing = { downloadMs: 20, updateMs: 20, installMs: 20, rebootMs: 50 };

type Address = { address: string; port: number };

async function readNumber(address: Address, path: string): Promise<number> {
  const answer = await downlink(address, { method: 'GET', path });
  assert.equal(answer.code, '2.05', path);
  return Number(answer.payload.toString());
}

function writeText(address: Address, path: string, text: string) {
  return downlink(address, { method: 'PUT', path, contentFormat: TEXT, payload: text });
}

describe('simulated device: firmware and software state machines', () => {
  it('downloads from a Package URI, updates on Execute, and reports the new version', () =>
    withSimulatedDevice({ endpoint: 'fw', timing: { ...timing, downloadMs: 60, updateMs: 60 }, firmware: { newVersion: '2.0.0' } }, async (device) => {
      const address = device.address();
      assert.equal((await downlink(address, { method: 'POST', path: '/5/0/2' })).code, '4.05', 'Update is refused before a download');
      assert.equal((await writeText(address, '/5/0/1', 'sim:fw-2.0')).code, '2.04');
      assert.equal(await readNumber(address, '/5/0/3'), 1); // Downloading
      await eventually(async () => assert.equal(await readNumber(address, '/5/0/3'), 2)); // Downloaded
      assert.equal((await downlink(address, { method: 'POST', path: '/5/0/2' })).code, '2.04');
      assert.equal(await readNumber(address, '/5/0/3'), 3); // Updating
      await eventually(async () => assert.equal(await readNumber(address, '/5/0/3'), 0));
      assert.equal(await readNumber(address, '/5/0/5'), 1); // success
      assert.equal((await downlink(address, { method: 'GET', path: '/5/0/7' })).payload.toString(), '2.0.0');
      assert.equal((await downlink(address, { method: 'GET', path: '/3/0/3' })).payload.toString(), '2.0.0');
    }));

  it('reports an invalid URI (7), an unsupported protocol (9, coaps and ftp), a reset on an empty URI, and a cancelled download (10)', () =>
    withSimulatedDevice({ endpoint: 'fw-bad', timing: { ...timing, downloadMs: 500 } }, async (device) => {
      const address = device.address();
      await writeText(address, '/5/0/1', 'not a uri');
      assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 7]);
      await writeText(address, '/5/0/1', 'ftp://example.com/fw.bin');
      assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 9]);
      await writeText(address, '/5/0/1', 'coaps://example.com/fw.bin');
      assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 9], 'no DTLS: coaps is not a supported protocol');
      await writeText(address, '/5/0/1', 'sim:fw.bin');
      assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [1, 0]);
      await writeText(address, '/5/0/1', '');
      assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 0]);
      await writeText(address, '/5/0/1', 'sim:fw.bin');
      assert.equal((await downlink(address, { method: 'POST', path: '/5/0/10' })).code, '2.04');
      assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 10]);
      assert.equal((await downlink(address, { method: 'POST', path: '/5/0/10' })).code, '4.05');
    }));

  it('takes a pushed Package, and ends a failed download or update with the configured result', async () => {
    await withSimulatedDevice({ endpoint: 'fw-push', timing }, async (device) => {
      const address = device.address();
      assert.equal((await downlink(address, { method: 'PUT', path: '/5/0/0', contentFormat: OPAQUE, payload: Buffer.alloc(600, 7) })).code, '2.04');
      await eventually(() => assert.equal(device.value('/5/0/3'), 2));
      assert.equal(device.value('/5/0/0'), undefined, 'the package is write-only');
      await downlink(address, { method: 'PUT', path: '/5/0/0', contentFormat: OPAQUE, payload: Buffer.from([0]) });
      assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 0]);
    });
    await withSimulatedDevice({ endpoint: 'fw-broken-download', timing, firmware: { downloadFailure: 5 } }, async (device) => {
      await writeText(device.address(), '/5/0/1', 'sim:fw.bin');
      await eventually(() => assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 5]));
    });
    await withSimulatedDevice({ endpoint: 'fw-broken-update', timing, firmware: { updateFailure: 8 } }, async (device) => {
      await writeText(device.address(), '/5/0/1', 'sim:fw.bin');
      await eventually(() => assert.equal(device.value('/5/0/3'), 2));
      await downlink(device.address(), { method: 'POST', path: '/5/0/2' });
      await eventually(() => assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [2, 8]));
      assert.equal(device.value('/3/0/3'), '1.0.0');
    });
  });

  it('downloads, installs, activates, deactivates and uninstalls software', () =>
    withSimulatedDevice({ endpoint: 'sw', timing, objects: ['/9/0', '/9/1'] }, async (device) => {
      const address = device.address();
      const exec = async (path: string) => (await downlink(address, { method: 'POST', path })).code;
      assert.equal(await exec('/9/1/4'), '4.05', 'nothing to install yet');
      assert.equal(await exec('/9/1/10'), '4.05', 'nothing to activate yet');
      assert.equal((await writeText(address, '/9/1/3', 'sim:app.pkg')).code, '2.04');
      assert.equal(await readNumber(address, '/9/1/7'), 1); // DOWNLOAD STARTED
      await eventually(async () => assert.equal(await readNumber(address, '/9/1/7'), 3)); // DELIVERED
      assert.equal(await readNumber(address, '/9/1/9'), 3);
      assert.equal(await exec('/9/1/4'), '2.04');
      await eventually(async () => assert.equal(await readNumber(address, '/9/1/7'), 4)); // INSTALLED
      assert.equal(await readNumber(address, '/9/1/9'), 2);
      assert.equal((await downlink(address, { method: 'GET', path: '/9/1/12' })).payload.toString(), '0');
      assert.equal(await exec('/9/1/10'), '2.04');
      assert.equal((await downlink(address, { method: 'GET', path: '/9/1/12' })).payload.toString(), '1');
      assert.equal(await exec('/9/1/11'), '2.04');
      assert.equal(device.value('/9/1/12'), false);
      assert.equal(await exec('/9/1/6'), '2.04');
      assert.deepEqual([device.value('/9/1/7'), device.value('/9/1/9')], [0, 0]);
      await writeText(address, '/9/0/3', '::: not a uri');
      assert.equal(device.value('/9/0/9'), 56);
    }));

  it('ends a failed software download or install with the configured result', () =>
    withSimulatedDevice({ endpoint: 'sw-broken', timing, objects: ['/9/0', '/9/1'], software: { installFailure: 58 } }, async (device) => {
      await writeText(device.address(), '/9/1/3', 'sim:app.pkg');
      await eventually(() => assert.equal(device.value('/9/1/7'), 3));
      await downlink(device.address(), { method: 'POST', path: '/9/1/4' });
      await eventually(() => assert.deepEqual([device.value('/9/1/7'), device.value('/9/1/9')], [3, 58]));
    }));

  it('restores the factory state on Factory Reset', () =>
    withSimulatedDevice({ endpoint: 'reset', timing }, async (device) => {
      const address = device.address();
      await writeText(address, '/3/0/15', 'Asia/Tokyo');
      assert.equal((await downlink(address, { method: 'DELETE', path: '/9/0' })).code, '2.02');
      assert.equal((await downlink(address, { method: 'POST', path: '/3/0/5' })).code, '2.04');
      await eventually(async () => assert.equal((await downlink(address, { method: 'GET', path: '/3/0/15' }, 100)).payload.toString(), 'Europe/Berlin'));
      assert.ok(device.instances().includes('/9/0'));
    }));
});
