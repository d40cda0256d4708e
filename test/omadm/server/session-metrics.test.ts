import { test } from 'node:test';
import assert from 'node:assert/strict';
import { device, enrol, proxyWithOmadm } from './dm-test-kit.js';

/** The sample lines of /metrics: `name{labels}` → value. */
async function samples(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(url)).text();
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return new Map(lines.map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]));
}

test('/metrics counts DM sessions, messages, commands and authentication failures', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:counted');
  await enrol(proxy, 'IMEI:intruder');
  await omadm.commandQueue.enqueue('IMEI:counted', { kind: 'Get', cmdId: '', items: [{ target: { locUri: './DevInfo/Man' } }] });
  const sim = device(t, proxy, { devId: 'IMEI:counted' });
  const outcome = await sim.openSession();
  assert.equal(outcome.result, 'completed', outcome.reason);
  assert.equal((await device(t, proxy, { devId: 'IMEI:intruder', secret: 'wrong' }).openSession()).result, 'auth-failed');

  const metrics = await samples(proxy.url('/metrics'));
  assert.equal(metrics.get('omadm_sessions_total{outcome="completed"}'), 1);
  assert.equal(metrics.get('omadm_sessions_open'), 0, 'the session ended');
  // the queued Get, and the reads of the device's SCOMO inventory that its first session brings
  const sent = metrics.get('omadm_commands_total{event="sent"}') ?? 0;
  assert.ok(sent >= 1, `${sent} commands sent`);
  assert.equal(metrics.get('omadm_commands_total{event="answered"}'), sent);
  assert.equal(metrics.get('omadm_session_seconds_count'), 1);
  assert.ok((metrics.get('omadm_auth_failures_total') ?? 0) >= 1, 'the wrong secret counted');
  // The device: package 1, its answers; the intruder: its tries. Each got an answer.
  const received = metrics.get('omadm_messages_total{direction="in"}') ?? 0;
  assert.ok(received >= outcome.messages + 1, `${received} messages in`);
  assert.equal(metrics.get('omadm_messages_total{direction="out"}'), received);
});

test('omadm_sessions_open shows a session while it is open; a new session of the device replaces it', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:open');
  await omadm.commandQueue.enqueue('IMEI:open', { kind: 'Get', cmdId: '', items: [{ target: { locUri: './DevInfo/Man' } }] });
  const sim = device(t, proxy, { devId: 'IMEI:open' });
  sim.faults.dropAfterMessages = 1;
  assert.equal((await sim.openSession()).result, 'dropped', 'the device went silent with the command unanswered');
  const open = await samples(proxy.url('/metrics'));
  assert.equal(open.get('omadm_sessions_open'), 1);
  const unanswered = open.get('omadm_commands_total{event="sent"}');

  sim.faults.dropAfterMessages = undefined;
  assert.equal((await sim.openSession()).result, 'completed');
  const metrics = await samples(proxy.url('/metrics'));
  assert.equal(metrics.get('omadm_sessions_total{outcome="replaced"}'), 1);
  assert.equal(metrics.get('omadm_commands_total{event="lost"}'), unanswered, 'the commands of the silent session');
  assert.equal(metrics.get('omadm_sessions_open'), 0);
});
