import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DmCommandAnswer } from '../../../src/omadm/v13/session/session-events.js';
import { device, enrol, proxyWithOmadm } from './dm-test-kit.js';

test('queued commands go out in the device\'s next session, split by its MaxMsgSize, and each answer comes back paired', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  const answers = new Map<string, DmCommandAnswer>();
  const lost: string[] = [];
  omadm.events = { commandsSent: () => undefined, commandsExpired: () => undefined, commandAnswered: (_devId, entry, answer) => void answers.set(entry.id, answer), commandLost: (_devId, entry) => lost.push(entry.id), genericAlert: () => undefined };
  await enrol(proxy, 'IMEI:cmds');
  const get = await omadm.commandQueue.enqueue('IMEI:cmds', { kind: 'Get', cmdId: '', items: [{ target: { locUri: './DevInfo/Man' } }] });
  const url = 'http://files.example/fw.bin';
  const replace = await omadm.commandQueue.enqueue('IMEI:cmds', { kind: 'Replace', cmdId: '', items: [{ target: { locUri: './FUMO/DownloadAndUpdate/PkgURL' }, meta: { format: 'chr' }, data: url }] });
  const many = await Promise.all(Array.from({ length: 8 }, () => omadm.commandQueue.enqueue('IMEI:cmds', { kind: 'Get', cmdId: '', items: [{ target: { locUri: './DevDetail' } }] })));

  const sim = device(t, proxy, { devId: 'IMEI:cmds', maxMsgSize: 1500 });
  const outcome = await sim.openSession();
  assert.equal(outcome.result, 'completed', outcome.reason);
  assert.ok(!sim.events.some((event) => event.event === 'oversize-message'), 'every server message fits the device\'s MaxMsgSize');
  assert.equal(answers.get(get.id)?.statuses[0].data, 200);
  assert.equal(answers.get(get.id)?.results[0].items[0].data, sim.value('./DevInfo/Man'));
  assert.equal(answers.get(replace.id)?.statuses[0].data, 200);
  assert.equal(sim.value('./FUMO/DownloadAndUpdate/PkgURL'), url);
  for (const entry of many) assert.equal(answers.get(entry.id)?.statuses[0].data, 200, JSON.stringify(answers.get(entry.id)));
  for (const entry of many) assert.equal(answers.get(entry.id)?.results[0].items[0].meta?.format, 'node', JSON.stringify(answers.get(entry.id)));
  assert.deepEqual(lost, []);
  assert.deepEqual(await omadm.commandQueue.waiting('IMEI:cmds'), [], 'the queue is drained');
});

test('an unauthenticated device gets none of the queued commands', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:locked');
  await omadm.commandQueue.enqueue('IMEI:locked', { kind: 'Exec', cmdId: '', item: { target: { locUri: './LAWMO/Operations/FactoryReset' } } });
  const sim = device(t, proxy, { devId: 'IMEI:locked', secret: 'wrong' });
  assert.equal((await sim.openSession()).result, 'auth-failed');
  assert.ok(!sim.events.some((event) => event.event === 'factory-reset'));
  assert.equal((await omadm.commandQueue.waiting('IMEI:locked')).length, 1, 'still queued');
});
