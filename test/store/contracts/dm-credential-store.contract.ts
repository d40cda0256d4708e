/** The promises of DmCredentialStore (src/store/dm-credential-store.ts), for any implementation. */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Dm2DeviceCredentials, type DmCredentialStore, type DmDeviceCredentials, dm13Record } from '../../../src/store/dm-credential-store.js';
import { openedStores, type OpenStore } from './opened.js';

const credentials = (secret = 'client-secret', auth: DmDeviceCredentials['auth'] = 'md5'): DmDeviceCredentials => ({
  auth,
  client: { user: 'device-user', secret },
  server: { id: 'proxy', secret: `server-${secret}` },
});

const dm2 = (secret = 'client-secret', auth: Dm2DeviceCredentials['auth'] = 'digest'): Dm2DeviceCredentials => ({
  version: '2.0',
  auth,
  client: { user: 'device-user', secret },
});

export function dmCredentialStoreContract(name: string, open: OpenStore<DmCredentialStore>): void {
  describe(`DmCredentialStore contract: ${name}`, () => {
    const stores = openedStores(open);
    afterEach(() => stores.disposeAll());
    const fresh = async () => (await stores.open()).store;

    test('put stores the credentials with their secrets for get; true only for a new device; unknown DevIds give undefined', async () => {
      const store = await fresh();
      assert.equal(await store.get('IMEI:1'), undefined);
      assert.equal(await store.describe('IMEI:1'), undefined);
      assert.equal(await store.put('IMEI:1', credentials('s1', 'basic')), true);
      assert.equal(await store.put('IMEI:1', credentials('s2')), false);
      assert.deepEqual(await store.get('IMEI:1'), { devId: 'IMEI:1', ...credentials('s2'), nonces: {} });
      await store.put('IMEI:2', credentials('s3', 'hmac'));
      assert.deepEqual(await store.get('IMEI:2'), { devId: 'IMEI:2', ...credentials('s3', 'hmac'), nonces: {} });
      assert.equal((await store.describe('IMEI:2'))?.auth, 'hmac');
    });

    test('describe and list never show a secret or a nonce', async () => {
      const store = await fresh();
      await store.put('IMEI:2', credentials('very-secret-2'));
      await store.put('IMEI:1', credentials('very-secret-1'));
      await store.setNonces('IMEI:1', { toClient: 'bm9uY2UtdG8tY2xpZW50', toServer: 'bm9uY2UtdG8tc2VydmVy' });
      const expected = (devId: string) => ({ devId, version: '1.3', auth: 'md5', client: { user: 'device-user' }, server: { id: 'proxy' } });
      assert.deepEqual(await store.describe('IMEI:1'), expected('IMEI:1'));
      assert.deepEqual(await store.list(), [expected('IMEI:1'), expected('IMEI:2')]);
      const shown = JSON.stringify([await store.describe('IMEI:1'), await store.list()]);
      for (const hidden of ['very-secret', 'bm9uY2U']) assert.ok(!shown.includes(hidden), `${hidden} in ${shown}`);
    });

    test('list is ascending by DevId in code point order', async () => {
      const store = await fresh();
      for (const devId of ['imei:3', 'IMEI:3', 'IMEI:10', 'MAC:1']) await store.put(devId, credentials());
      assert.deepEqual((await store.list()).map((d) => d.devId), ['IMEI:10', 'IMEI:3', 'MAC:1', 'imei:3']);
    });

    test('delete removes the device with its nonces; true only when it existed', async () => {
      const store = await fresh();
      await store.put('IMEI:1', credentials());
      await store.setNonces('IMEI:1', { toClient: 'AAAA' });
      assert.equal(await store.delete('IMEI:1'), true);
      assert.equal(await store.delete('IMEI:1'), false);
      assert.equal(await store.get('IMEI:1'), undefined);
      await store.put('IMEI:1', credentials());
      assert.deepEqual(dm13Record(await store.get('IMEI:1'))?.nonces, {});
    });

    test('setNonces changes the named directions only, null clears one; an unknown device is refused and not created', async () => {
      const store = await fresh();
      assert.equal(await store.setNonces('IMEI:9', { toClient: 'AAAA' }), false);
      assert.equal(await store.get('IMEI:9'), undefined);
      await store.put('IMEI:1', credentials());
      assert.equal(await store.setNonces('IMEI:1', { toClient: 'Y2xpZW50', toServer: 'c2VydmVy' }), true);
      await store.setNonces('IMEI:1', { toServer: 'bmV3' });
      assert.deepEqual(dm13Record(await store.get('IMEI:1'))?.nonces, { toClient: 'Y2xpZW50', toServer: 'bmV3' });
      await store.setNonces('IMEI:1', { toClient: null });
      assert.deepEqual(dm13Record(await store.get('IMEI:1'))?.nonces, { toServer: 'bmV3' });
    });

    test('concurrent nonce changes of different directions are both kept', async () => {
      const store = await fresh();
      await store.put('IMEI:1', credentials());
      await Promise.all([store.setNonces('IMEI:1', { toClient: 'Y2xpZW50' }), store.setNonces('IMEI:1', { toServer: 'c2VydmVy' })]);
      assert.deepEqual(dm13Record(await store.get('IMEI:1'))?.nonces, { toClient: 'Y2xpZW50', toServer: 'c2VydmVy' });
    });

    test('put replaces the credentials and keeps the nonces', async () => {
      const store = await fresh();
      await store.put('IMEI:1', credentials('old'));
      await store.setNonces('IMEI:1', { toClient: 'Y2xpZW50' });
      await store.put('IMEI:1', credentials('new', 'basic'));
      assert.deepEqual(await store.get('IMEI:1'), { devId: 'IMEI:1', ...credentials('new', 'basic'), nonces: { toClient: 'Y2xpZW50' } });
    });

    test('putIfAbsent stores only for an unknown device and gives the record that holds; racing calls agree on one', async () => {
      const store = await fresh();
      const first = await store.putIfAbsent('IMEI:1', credentials('first'), { toClient: 'Zmlyc3Q=' });
      assert.deepEqual(first, { devId: 'IMEI:1', ...credentials('first'), nonces: { toClient: 'Zmlyc3Q=' } });
      assert.deepEqual(await store.putIfAbsent('IMEI:1', credentials('second')), first);
      const raced = await Promise.all([store.putIfAbsent('IMEI:2', credentials('a')), store.putIfAbsent('IMEI:2', credentials('b'))]);
      assert.deepEqual(raced[0], raced[1]);
      assert.deepEqual(await store.get('IMEI:2'), raced[0]);
    });

    test('a value read is a copy: changing it changes nothing stored', async () => {
      const store = await fresh();
      await store.put('IMEI:1', credentials());
      const read = dm13Record(await store.get('IMEI:1'))!;
      read.client.secret = 'changed';
      read.nonces.toClient = 'changed';
      assert.deepEqual(await store.get('IMEI:1'), { devId: 'IMEI:1', ...credentials(), nonces: {} });
    });

    test('a DM 2.0 device keeps its version and client credentials, no server part; describe shows no secret', async () => {
      const store = await fresh();
      assert.equal(await store.put('DEV2:1', dm2('very-secret-2')), true);
      assert.deepEqual(await store.get('DEV2:1'), { devId: 'DEV2:1', ...dm2('very-secret-2') });
      assert.deepEqual(await store.describe('DEV2:1'), { devId: 'DEV2:1', version: '2.0', auth: 'digest', client: { user: 'device-user' } });
      assert.ok(!JSON.stringify(await store.list()).includes('very-secret'));
      assert.equal(dm13Record(await store.get('DEV2:1')), undefined, 'the SyncML side never sees it');
      await store.put('DEV2:1', dm2('s', 'basic'));
      assert.equal((await store.describe('DEV2:1'))?.auth, 'basic');
    });

    test('a DM 2.0 device may have a server part (package 0 only): kept, its id described, its secret never; a put without it drops it', async () => {
      const store = await fresh();
      await store.put('DEV2:2', { ...dm2('client-2'), server: { id: 'dm-proxy', secret: 'noti-secret-2' } });
      assert.deepEqual(await store.get('DEV2:2'), { devId: 'DEV2:2', ...dm2('client-2'), server: { id: 'dm-proxy', secret: 'noti-secret-2' } });
      assert.deepEqual(await store.describe('DEV2:2'), { devId: 'DEV2:2', version: '2.0', auth: 'digest', client: { user: 'device-user' }, server: { id: 'dm-proxy' } });
      assert.ok(!JSON.stringify(await store.list()).includes('noti-secret'));
      await store.put('DEV2:2', dm2('client-2'));
      assert.deepEqual(await store.get('DEV2:2'), { devId: 'DEV2:2', ...dm2('client-2') });
    });

    test('a device may change version both ways; the record is always of the latest one', async () => {
      const store = await fresh();
      await store.put('IMEI:1', credentials('one'));
      assert.equal(await store.put('IMEI:1', dm2('two')), false);
      assert.deepEqual(await store.get('IMEI:1'), { devId: 'IMEI:1', ...dm2('two') });
      await store.put('IMEI:1', credentials('three', 'basic'));
      assert.deepEqual(await store.get('IMEI:1'), { devId: 'IMEI:1', ...credentials('three', 'basic'), nonces: {} });
    });

    test('credentials and nonces survive a restart', async () => {
      const opened = await stores.open();
      await opened.store.put('IMEI:1', credentials());
      await opened.store.setNonces('IMEI:1', { toClient: 'Y2xpZW50', toServer: 'c2VydmVy' });
      await opened.store.put('DEV2:1', dm2());
      const reopened = await opened.reopen();
      assert.deepEqual(await reopened.get('DEV2:1'), { devId: 'DEV2:1', ...dm2() });
      assert.deepEqual(await reopened.get('IMEI:1'), { devId: 'IMEI:1', ...credentials(), nonces: { toClient: 'Y2xpZW50', toServer: 'c2VydmVy' } });
    });
  });
}
