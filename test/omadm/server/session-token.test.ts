import { test } from 'node:test';
import assert from 'node:assert/strict';
import { md5CredentialData } from '../../../src/omadm/v13/auth/index.js';
import type { Command } from '../../../src/omadm/v13/codec/index.js';
import { CREDENTIALS, dmUrl, enrol, message, post, proxyWithOmadm, statusOf } from './dm-test-kit.js';

const GENERIC_ALERT: Command = { kind: 'Alert', cmdId: '1', data: 1226, items: [{ source: { locUri: './FUMO' }, data: '200' }] };

test('a message naming an authenticated session without the RespURI token neither rides it nor changes it', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  const alerts: string[] = [];
  omadm.events = { commandsSent: () => undefined, commandsExpired: () => undefined, commandAnswered: () => undefined, commandLost: () => undefined, genericAlert: (devId) => void alerts.push(devId) };
  await enrol(proxy, 'IMEI:ride');
  await omadm.commandQueue.enqueue('IMEI:ride', { kind: 'Exec', cmdId: '', item: { target: { locUri: './LAWMO/Operations/FactoryReset' } } });
  const url = dmUrl(proxy);

  const part1 = await post(url, message('IMEI:ride', 1, [{ kind: 'Alert', cmdId: '1', data: 1201, items: [] }], false, true, url));
  assert.equal(statusOf(part1, '0')?.data, 212);
  const respUri = part1.header.respUri!;

  for (const target of [url, `${url}?s=wrong`]) {
    const forged = await post(target, message('IMEI:ride', 2, [GENERIC_ALERT], true, false, url));
    assert.equal(statusOf(forged, '0')?.data, 407, `${target}: challenged like a new sender`);
    assert.equal(statusOf(forged, '1')?.data, 407, 'its Generic Alert is not carried out');
    assert.deepEqual(forged.body.filter((command) => command.kind !== 'Status'), [], 'no queued command goes to it');
  }
  assert.deepEqual(alerts, []);
  assert.equal((await omadm.commandQueue.waiting('IMEI:ride')).length, 1, 'still queued');

  const part2 = await post(respUri, message('IMEI:ride', 2, [], true, false, url));
  assert.equal(statusOf(part2, '0')?.data, 200, 'the device, with the token, goes on where it was');
  assert.ok(part2.body.some((command) => command.kind === 'Exec'), 'and gets the queued command');
});

test('a device that ignores RespURI continues its session with valid Cred in each message (200, not 212); a replayed Cred is refused', async (t) => {
  const { proxy } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:no-respuri');
  const url = dmUrl(proxy);
  const part1 = await post(url, message('IMEI:no-respuri', 1, [{ kind: 'Alert', cmdId: '1', data: 1201, items: [] }], false, true, url));
  assert.equal(statusOf(part1, '0')?.data, 212);
  const part2 = message('IMEI:no-respuri', 2, [], true, false, url);
  const nonce = statusOf(part1, '0')?.chal?.meta.nextNonce;
  part2.header.cred = { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: md5CredentialData(CREDENTIALS.client.user, CREDENTIALS.client.secret, nonce) };
  const answer = await post(url, part2);
  assert.equal(statusOf(answer, '0')?.data, 200);
  const replayed = await post(url, { ...part2, header: { ...part2.header, msgId: '3' } });
  assert.equal(statusOf(replayed, '0')?.data, 401, 'the nonce moved on with the last answer');
});
