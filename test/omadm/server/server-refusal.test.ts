import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command, Status, SyncmlMessage } from '../../../src/omadm/v13/codec/index.js';
import type { DmServerCommand } from '../../../src/omadm/v13/session/command-queue.js';
import { CREDENTIALS, device, dmUrl, enrol, message, post, proxyWithOmadm, statusOf } from './dm-test-kit.js';

const replace = (path: string, data: string): DmServerCommand => ({ kind: 'Replace', cmdId: '', items: [{ target: { locUri: path }, meta: { format: 'chr' }, data }] });

async function metricValue(url: string, line: string): Promise<number> {
  const text = await (await fetch(url)).text();
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.slice(line.length + 1));
}

test('commands the device refuses with the server\'s Cred go back to the front of its queue and out in the next session', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  const answered: string[] = [];
  const lost: string[] = [];
  omadm.events = { commandsSent: () => undefined, commandsExpired: () => undefined, commandAnswered: (_devId, entry) => void answered.push(entry.id), commandLost: (_devId, entry) => void lost.push(entry.id), genericAlert: () => undefined };
  await enrol(proxy, 'IMEI:refuser');
  // Big enough that the first package 2 holds only some of them: the refused ones must go back before those left.
  const big = 'x'.repeat(700);
  const paths = ['./FUMO/PkgName', './FUMO/PkgVersion', './FUMO/DownloadAndUpdate/PkgURL'];
  const queued = [];
  for (const path of paths) queued.push(await omadm.commandQueue.enqueue('IMEI:refuser', replace(path, big)));
  const sim = device(t, proxy, { devId: 'IMEI:refuser', serverSecret: 'not-the-server-secret', maxMsgSize: 3000 });

  const refused = await sim.openSession();
  assert.equal(refused.result, 'completed', refused.reason);
  assert.equal(refused.messages, 3, 'package 1, the refusal, its verdict on the fresh Cred (refused again): then the session ends');
  const sent = await metricValue(proxy.url('/metrics'), 'omadm_commands_total{event="sent"}');
  assert.ok(sent >= 1 && sent < paths.length, `some commands, not all, went out in the refused message (${sent})`);
  for (const path of paths) assert.notEqual(sim.value(path), big, `${path} not carried out`);
  assert.deepEqual(answered, [], 'the 401 Statuses are not answers');
  assert.deepEqual(lost, []);
  assert.deepEqual((await omadm.commandQueue.waiting('IMEI:refuser')).map((entry) => entry.id), queued.map((entry) => entry.id), 'all queued, in order');
  assert.equal(await metricValue(proxy.url('/metrics'), 'omadm_sessions_total{outcome="refused"}'), 1);
  assert.equal(await metricValue(proxy.url('/metrics'), 'omadm_commands_total{event="requeued"}'), sent);

  sim.options.serverSecret = CREDENTIALS.server.secret;
  const accepted = await sim.openSession();
  assert.equal(accepted.result, 'completed', accepted.reason);
  assert.ok(sim.events.some((event) => event.event === 'server-authenticated'), 'the fresh Cred (over the nonce the device gave) is accepted');
  for (const path of paths) assert.equal(sim.value(path), big);
  assert.deepEqual(answered, queued.map((entry) => entry.id));
  assert.deepEqual(lost, []);
  assert.deepEqual(await omadm.commandQueue.waiting('IMEI:refuser'), []);
  assert.equal(await metricValue(proxy.url('/metrics'), 'omadm_sessions_total{outcome="completed"}'), 1);
});

test('a device that keeps refusing the server gets no more commands in the session after its second refusal', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  const answered: string[] = [];
  const lost: string[] = [];
  omadm.events = { commandsSent: () => undefined, commandsExpired: () => undefined, commandAnswered: (_devId, entry) => void answered.push(entry.id), commandLost: (_devId, entry) => void lost.push(entry.id), genericAlert: () => undefined };
  const devId = 'IMEI:fickle';
  await enrol(proxy, devId);
  const entry = await omadm.commandQueue.enqueue(devId, { kind: 'Get', cmdId: '', items: [{ target: { locUri: './DevInfo/Man' } }] });
  const url = dmUrl(proxy);
  const getOf = (answer: SyncmlMessage) => answer.body.find((command) => command.kind === 'Get');
  const verdict = (answer: SyncmlMessage, msgId: number, code: number, final: boolean): SyncmlMessage => {
    const ref = answer.header.msgId;
    const statusFor = (cmdRef: string | undefined, cmd: string): Status => ({ kind: 'Status', cmdId: '', msgRef: ref, cmdRef: cmdRef ?? '', cmd, targetRefs: [], sourceRefs: [], items: [], data: code });
    const get = getOf(answer);
    const body: Command[] = [statusFor('0', 'SyncHdr'), ...(get ? [statusFor(get.cmdId, 'Get')] : [])];
    body.forEach((command, i) => (command.cmdId = String(i + 1)));
    return message(devId, msgId, body, final, false, url);
  };

  const first = await post(url, message(devId, 1, [{ kind: 'Alert', cmdId: '1', data: 1201, items: [] }], true, true, url));
  assert.equal(statusOf(first, '0')?.data, 212);
  assert.ok(getOf(first), 'package 2 carries the command');
  const session = first.header.respUri!;

  const refusal1 = await post(session, verdict(first, 2, 401, true));
  assert.equal(getOf(refusal1), undefined, 'no commands while the device refuses the server');
  assert.ok(refusal1.header.cred, 'fresh Cred');
  assert.equal(refusal1.final, false, 'the device\'s verdict on the fresh Cred is asked for');
  assert.deepEqual((await omadm.commandQueue.waiting(devId)).map((queued) => queued.id), [entry.id]);

  const accepted = await post(session, verdict(refusal1, 3, 200, true));
  assert.ok(getOf(accepted), 'once the device accepts the Cred the command goes out again');

  const refusal2 = await post(session, verdict(accepted, 4, 407, false));
  assert.equal(getOf(refusal2), undefined);
  const stillRefusing = await post(session, verdict(refusal2, 5, 407, true));
  assert.equal(getOf(stillRefusing), undefined, 'after the second refusal the session sends no more commands');
  assert.equal(stillRefusing.final, true, 'and ends');
  const late = await post(session, verdict(stillRefusing, 6, 200, true));
  assert.equal(getOf(late), undefined);

  assert.deepEqual((await omadm.commandQueue.waiting(devId)).map((queued) => queued.id), [entry.id], 'still queued for a later session');
  assert.deepEqual(answered, []);
  assert.deepEqual(lost, []);
});
