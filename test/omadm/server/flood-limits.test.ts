import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { SYNCML_DM_XML, encodeSyncml } from '../../../src/omadm/v13/codec/index.js';
import { MAX_MESSAGES_WAITING_PER_DEVICE } from '../../../src/omadm/v13/session/session-engine.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { startTestProxy } from '../../helpers/proxy-harness.js';
import { dmUrl, message } from './dm-test-kit.js';

test(`more than ${MAX_MESSAGES_WAITING_PER_DEVICE} messages of one device at once: the rest get HTTP 503`, { timeout: 10_000 }, async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const firstArrived = new Promise<void>((resolve) => (arrived = resolve));
  const proxy = await startTestProxy({}, undefined, undefined, (config) => {
    const store = openSqliteStore(config.dataDir);
    const get = store.dmCredentials.get.bind(store.dmCredentials);
    return { ...store, close: () => store.close(), dmCredentials: Object.assign(Object.create(store.dmCredentials), {
      get: async (devId: string) => {
        if (devId === 'IMEI:busy') {
          arrived();
          await gate;
        }
        return get(devId);
      },
    }) };
  });
  t.after(() => proxy.stop(true));
  const url = dmUrl(proxy);
  const send = (msgId: number) => fetch(url, { method: 'POST', headers: { 'content-type': SYNCML_DM_XML }, body: encodeSyncml(message('IMEI:busy', msgId, [], true, false, url)) });
  const first = send(1);
  await firstArrived;
  const statuses = Array.from({ length: MAX_MESSAGES_WAITING_PER_DEVICE }, (_, i) => send(i + 2).then((response) => response.status));
  assert.equal(await Promise.race(statuses), 503, 'the one over the limit is answered at once, the others wait their turn');
  release();
  assert.equal((await first).status, 200);
  assert.deepEqual((await Promise.all(statuses)).sort(), [...Array(MAX_MESSAGES_WAITING_PER_DEVICE - 1).fill(200), 503]);
});

test('DM_MAX_CONNECTIONS: a connection over the limit is closed on arrival', { timeout: 10_000 }, async (t) => {
  const proxy = await startTestProxy({ DM_MAX_CONNECTIONS: '2' });
  t.after(() => proxy.stop(true));
  const port = proxy.listeners['omadm-http'].port;
  const open = [connect(port, '127.0.0.1'), connect(port, '127.0.0.1')];
  t.after(() => open.forEach((socket) => socket.destroy()));
  await Promise.all(open.map((socket) => once(socket, 'connect')));
  const third = connect(port, '127.0.0.1');
  third.on('error', () => undefined);
  await once(third, 'close');
  assert.ok(open.every((socket) => !socket.destroyed), 'the first two stay open');
});
