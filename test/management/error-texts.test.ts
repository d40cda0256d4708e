/**
 * Issue 8, point 13: m2m:dbg says what the proxy knows. A step that went out and got no answer may have been carried out
 * (the ACK may be what was lost); a step that never went out changed nothing; an answer is the device's word.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { attachDevice, oneM2M, startProxy, wrap } from './managed-devices.js';

describe('failure texts say only what is known', () => {
  let proxy: TestProxy;

  before(async () => {
    proxy = await startProxy();
  });
  after(async () => {
    await proxy.stop(true);
  });

  it('an Execute without an answer: whether the device ran it is unknown, never "nothing was changed"', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false });
    try {
      device.quirks.silent = true;
      const answer = await oneM2M(proxy, 'PUT', `${node}/reboot`, wrap('reboot', { rbo: true }));
      assert.equal(answer.rsc, 6003, answer.dbg);
      assert.doesNotMatch(answer.dbg ?? '', /nothing was changed/);
      assert.match(answer.dbg ?? '', /execute \/3\/0\/4.*whether the device carried out execute \/3\/0\/4 is unknown/);
    } finally {
      device.close();
    }
  });

  it('an Execute after an acknowledged Write, without an answer: names the Write as done and the Execute as unknown', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false });
    try {
      device.once('request', () => {
        device.quirks.silent = true; // the Write arrived (and is answered); from now on nothing gets through
      });
      const answer = await oneM2M(proxy, 'PUT', `${node}/software-0`, wrap('software', { url: 'sim:x', in: true }));
      assert.equal(answer.rsc, 6003, answer.dbg);
      assert.match(answer.dbg ?? '', /whether the device carried out execute \/9\/0\/4 is unknown; already done: write \/9\/0\/3$/);
    } finally {
      device.close();
    }
  });

  it('a refused first step: nothing was changed; a step never sent: nothing was sent', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false });
    try {
      device.answerWith('/3/0/4', '4.05');
      const refused = await oneM2M(proxy, 'PUT', `${node}/reboot`, wrap('reboot', { rbo: true }));
      assert.equal(refused.rsc, 4005);
      assert.match(refused.dbg ?? '', /nothing was changed on the device/);
      await device.deregister();
      const unsent = await oneM2M(proxy, 'PUT', `${node}/reboot`, wrap('reboot', { rbo: true }));
      assert.match(unsent.dbg ?? '', /not-registered\); nothing was sent to the device/);
    } finally {
      device.close();
    }
  });
});

describe('failure texts of a request that runs out of time', () => {
  let slowCoap: TestProxy;

  before(async () => {
    slowCoap = await startProxy({ COAP_ACK_TIMEOUT_MS: '1000', DEVICE_TIMEOUT_MS: '5000' });
  });
  after(async () => {
    await slowCoap.stop(true);
  });

  it('a text-only client that stays silent past the deadline: the Read it did not answer is the failure, not "earlier requests"', async () => {
    const { device, node } = await attachDevice(slowCoap, { version: '1.0', autoUpdate: false, quirks: { textOnly: true } });
    try {
      // the multi-value probe waits out the whole 1.5 s (CoAP would wait 4.5 s): the plain-text reads after it cannot go out
      const answer = await oneM2M(slowCoap, 'GET', `${node}/deviceInfo`, undefined, { 'X-M2M-RET': '1500' });
      assert.equal(answer.rsc, 6003, answer.dbg);
      assert.doesNotMatch(answer.dbg ?? '', /earlier requests/);
      assert.match(answer.dbg ?? '', /read \/3\/0: GET \/3\/0: no answer within \d+ ms → timeout/);
      assert.deepEqual(device.requests.map((request) => request.path), ['/3/0']);
    } finally {
      device.close();
    }
  });
});
