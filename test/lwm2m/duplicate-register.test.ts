import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy } from '../helpers/proxy-harness.js';
import { RawCoapClient } from './raw-coap.js';

const PAYLOAD = '</1/0>,</3/0>';

test('a retransmitted confirmable Register gets the same answer and makes no second registration', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  const client = new RawCoapClient(proxy.coapPort);
  t.after(() => client.close());

  const token = Buffer.from('d1d2', 'hex');
  const register = RawCoapClient.post(4242, token, ['rd'], ['ep=dup-device', 'lt=300', 'b=U'], PAYLOAD);
  client.send(register);
  client.send(register); // arrives while the first copy is being handled
  const first = await client.answer(4242, token);
  assert.equal(first.packet.code, '2.01');
  client.send(register); // arrives after the answer
  const repeated = await client.answer(4242, token, 1);
  assert.deepEqual(repeated.raw, first.raw, 'the duplicate is answered with the same bytes (same location)');

  const location = first.packet.options.filter((o) => o.name === 'Location-Path').map((o) => o.value.toString());
  assert.equal((await client.request(4243, location)).code, '2.04', 'the registration the first answer named is the current one');

  const again = await client.request(4244, ['rd'], ['ep=dup-device', 'lt=300', 'b=U'], PAYLOAD);
  assert.equal(again.code, '2.01');
  assert.notDeepEqual(again.location, location, 'a new Register (another Message ID) is a new registration');
  assert.equal((await client.request(4245, location)).code, '4.04');
});
