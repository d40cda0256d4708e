/**
 * Issue 8, point 8: a client announces new instances only at its next Registration Update, so the proxy keeps track of
 * the instances it created or deleted itself, and retries a Create the device answers 4.00 ("already exists") once with
 * the next free instance ID.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContentFormat, encodeContent } from '../../src/lwm2m/formats/index.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { downlink } from '../sim-selftest/test-peer.js';
import { attachDevice, oneM2M, sentSince, startProxy, wrap, type ManagedDevice } from './managed-devices.js';

const CREATE = { 'Content-Type': 'application/json;ty=13' };
let names = 0;
const software = () => wrap('software', { mgd: 1002, rn: `app-${++names}`, swn: 'a', vr: '1', url: 'sim:a' });

describe('Create picks an instance ID the device does not have yet', () => {
  let proxy: TestProxy;
  let managed: ManagedDevice;

  before(async () => {
    proxy = await startProxy();
  });
  after(async () => {
    await proxy.stop(true);
  });

  async function create(content = software()) {
    const from = managed.device.requests.length;
    const answer = await oneM2M(proxy, 'POST', managed.node, content, CREATE);
    return { ...answer, sent: sentSince(managed.device, from) };
  }

  it('two Creates one after the other, before any Registration Update: the second gets the next instance', async () => {
    // no Update after Create: the registration keeps listing /9/0 only
    managed = await attachDevice(proxy, { autoUpdate: false });
    try {
      const first = await create();
      assert.equal(first.rsc, 2001, first.dbg);
      assert.deepEqual(first.body.obps, ['/9/1']);
      const second = await create();
      assert.equal(second.rsc, 2001, second.dbg);
      assert.deepEqual(second.body.obps, ['/9/2']);
      assert.deepEqual(second.sent, ['POST /9', 'GET /9/2'], 'no Create of /9/1 again');
      assert.deepEqual(managed.device.instances().filter((path) => path.startsWith('/9/')), ['/9/0', '/9/1', '/9/2']);
    } finally {
      managed.device.close();
    }
  });

  it('two Creates sent at once get two instances', async () => {
    managed = await attachDevice(proxy, { autoUpdate: false });
    try {
      const answers = await Promise.all([create(), create()]);
      for (const answer of answers) assert.equal(answer.rsc, 2001, answer.dbg);
      assert.deepEqual(answers.map((answer) => answer.body.obps[0]).sort(), ['/9/1', '/9/2']);
    } finally {
      managed.device.close();
    }
  });

  it('after the proxy deleted an instance, a Create naming it creates it again instead of binding to what is gone', async () => {
    managed = await attachDevice(proxy, { autoUpdate: false });
    try {
      const made = await create();
      assert.deepEqual(made.body.obps, ['/9/1']);
      assert.equal((await oneM2M(proxy, 'DELETE', `${managed.node}/${made.body.rn}`)).rsc, 2002);
      const again = await create(wrap('software', { mgd: 1002, rn: 'again', swn: 'b', vr: '1', url: 'sim:b', obps: ['/9/1'] }));
      assert.equal(again.rsc, 2001, again.dbg);
      assert.deepEqual(again.sent, ['POST /9', 'GET /9/1']);
      assert.ok(managed.device.instances().includes('/9/1'));
    } finally {
      managed.device.close();
    }
  });

  it('the device answers 4.00 "already exists" for an instance its registration does not list: one retry with the next free ID', async () => {
    managed = await attachDevice(proxy, { autoUpdate: false });
    try {
      // another server created /9/1; the client has not sent an Update since
      const payload = encodeContent(ContentFormat.SENML_JSON, [{ path: [9, 1, 3], value: 'coap://127.0.0.1:9/elsewhere' }], [9], resourceType);
      const elsewhere = await downlink(managed.device.address(), { method: 'POST', path: '/9', contentFormat: ContentFormat.SENML_JSON, payload });
      assert.equal(elsewhere.code, '2.01');
      const answer = await create();
      assert.equal(answer.rsc, 2001, answer.dbg);
      assert.deepEqual(answer.sent, ['POST /9', 'POST /9', 'GET /9/2']);
      assert.deepEqual(answer.body.obps, ['/9/2']);
      assert.equal(managed.device.value('/9/1/3'), 'coap://127.0.0.1:9/elsewhere', 'the other instance is untouched');
    } finally {
      managed.device.close();
    }
  });

  it('a second 4.00 is the answer: 5106 through the table', async () => {
    managed = await attachDevice(proxy, { autoUpdate: false });
    try {
      managed.device.answerWith((request) => request.method === 'POST' && request.path === '/9', '4.00', { times: 2 });
      const answer = await create();
      assert.equal(answer.rsc, 5106);
      assert.deepEqual(answer.sent, ['POST /9', 'POST /9']);
      assert.match(answer.dbg ?? '', /already exists.*create \/9.*4\.00/);
    } finally {
      managed.device.close();
    }
  });
});
