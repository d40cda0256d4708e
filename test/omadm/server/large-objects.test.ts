import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command, ItemCommand, Results, Status, SyncmlMessage } from '../../../src/omadm/v13/codec/index.js';
import type { RunningOmadm } from '../../../src/omadm/index.js';
import type { DmCommandAnswer } from '../../../src/omadm/v13/session/session-events.js';
import { dmUrl, enrol, message, post, proxyWithOmadm, statusOf } from './dm-test-kit.js';

const DEV = 'IMEI:chunks';
const BLOB = './Vendor/Blob';

/** The answers the sessions report to the adapter, captured (and still passed on). */
function captureAnswers(omadm: RunningOmadm): DmCommandAnswer[] {
  const answers: DmCommandAnswer[] = [];
  const original = omadm.events;
  omadm.events = { ...original, commandAnswered: (devId, entry, answer) => {
    answers.push(answer);
    return original.commandAnswered(devId, entry, answer);
  } };
  return answers;
}

const commandsOf = (answer: SyncmlMessage): Command[] => answer.body.filter((command) => command.kind !== 'Status');
const alerts = (answer: SyncmlMessage, code: number) => answer.body.filter((command) => command.kind === 'Alert' && command.data === code);

/**
 * Package 1 of session 7 with a Get of BLOB queued before it: the answer (package 2) holds that Get and the SCOMO
 * inventory read the publication queues; returns the RespURI, the Get and a Status answering the inventory read 404.
 */
async function package2WithGet(omadm: RunningOmadm, url: string) {
  await omadm.commandQueue.enqueue(DEV, { kind: 'Get', cmdId: '', items: [{ target: { locUri: BLOB } }] });
  const answer = await post(url, message(DEV, 1, [
    { kind: 'Alert', cmdId: '1', data: 1201, items: [] },
    { kind: 'Replace', cmdId: '2', items: [{ source: { locUri: './DevInfo/Man' }, data: 'Acme' }] },
  ], true, true, url));
  assert.equal(statusOf(answer, '0')?.data, 212);
  const gets = commandsOf(answer) as ItemCommand[];
  const get = gets.find((command) => command.items[0]?.target?.locUri === BLOB);
  const inventory = gets.find((command) => command !== get);
  assert.ok(get && inventory, `package 2: ${JSON.stringify(gets)}`);
  const status = (cmdRef: string, data: number, cmdId: string): Status => ({ kind: 'Status', cmdId, msgRef: answer.header.msgId, cmdRef, cmd: 'Get', targetRefs: [], sourceRefs: [], items: [], data });
  return { respUri: answer.header.respUri!, get, msgRef: answer.header.msgId, inventoryDone: status(inventory.cmdId, 404, '1'), getDone: status(get.cmdId, 200, '2') };
}

const chunk = (get: ItemCommand, msgRef: string, cmdId: string, data: string, more: boolean, size?: number): Results => ({
  kind: 'Results', cmdId, msgRef, cmdRef: get.cmdId, targetRefs: [], sourceRefs: [],
  items: [{ source: { locUri: BLOB }, meta: { format: 'chr', ...(size === undefined ? {} : { size }) }, data, ...(more ? { moreData: true } : {}) }],
});

test('Results in chunks across a proxy restart: 213 and Alert 1222 per chunk, the object kept in the session record, one Results assembled for the adapter', async (t) => {
  const first = await proxyWithOmadm();
  let proxy = first.proxy;
  t.after(() => proxy.stop(true));
  await enrol(proxy, DEV);
  const url = dmUrl(proxy);
  const { respUri, get, msgRef, inventoryDone, getDone } = await package2WithGet(first.omadm, url);
  const blob = 'é&<'.repeat(1000);
  const size = Buffer.byteLength(blob);

  const part1 = await post(respUri, message(DEV, 2, [inventoryDone, getDone, chunk(get, msgRef, '3', blob.slice(0, 1200), true, size)], true, false, url));
  assert.equal(statusOf(part1, '3')?.data, 213, 'the chunk is buffered');
  assert.equal(statusOf(part1, '3')?.cmd, 'Results');
  assert.equal(alerts(part1, 1222).length, 1, 'Alert 1222 pulls the next chunk');
  assert.equal(part1.final, false);
  assert.equal(commandsOf(part1).length, 1, 'nothing else goes out while the object comes in');
  assert.equal(part1.header.meta?.maxObjSize, 1024 * 1024, 'the server announces its MaxObjSize');

  await proxy.stop();
  const second = await proxyWithOmadm({ DM_PORT: String(new URL(url).port) }, first.proxy.dataDir);
  proxy = second.proxy;
  const answers = captureAnswers(second.omadm);

  const part2 = await post(respUri, message(DEV, 3, [chunk(get, msgRef, '1', blob.slice(1200, 2400), true)], false, false, url));
  assert.equal(statusOf(part2, '1')?.data, 213);
  const part3 = await post(respUri, message(DEV, 4, [chunk(get, msgRef, '1', blob.slice(2400), false)], true, false, url));
  assert.equal(statusOf(part3, '1'), undefined, 'no Status for a Results that succeeded');
  assert.equal(part3.final, true);
  assert.equal(answers.length, 1);
  assert.deepEqual(answers[0].statuses.map((status) => status.data), [200]);
  assert.equal(answers[0].results.length, 1, 'one Results');
  assert.equal(answers[0].results[0].items[0].data, blob, 'assembled across the restart');
  assert.equal(answers[0].results[0].items[0].meta?.size, undefined);
});

test('hostile: endless MoreData chunks are refused (413) once past DM_MAX_OBJ_SIZE, nothing more is kept, and a cut-off object gets Alert 1225', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm({ DM_MAX_OBJ_SIZE: '4096' });
  t.after(() => proxy.stop(true));
  await enrol(proxy, DEV);
  const answers = captureAnswers(omadm);
  const url = dmUrl(proxy);
  const { respUri, get, msgRef, inventoryDone, getDone } = await package2WithGet(omadm, url);
  const piece = 'x'.repeat(1500);

  let msgId = 2;
  const send = (body: Command[], final = false) => post(respUri, message(DEV, msgId++, body, final, false, url));
  const codes: number[] = [];
  codes.push(statusOf(await send([inventoryDone, getDone, chunk(get, msgRef, '3', piece, true)]), '3')!.data);
  for (let i = 0; i < 5; i++) codes.push(statusOf(await send([chunk(get, msgRef, '1', piece, true)]), '1')!.data);
  assert.deepEqual(codes, [213, 213, 413, 413, 413, 413], 'refused once past 4096 bytes, and every later chunk of it too');
  const blobAnswers = answers.filter((answer) => answer.cmdIds.includes(get.cmdId) && answer.statuses.some((status) => status.msgRef === msgRef));
  assert.equal(blobAnswers.length, 1, 'the Get is answered once');
  assert.equal(blobAnswers[0].statuses[0].data, 413);
  assert.deepEqual(blobAnswers[0].statuses[0].targetRefs, [BLOB]);

  // The device goes on with something else: the refused object is dropped with Alert 1225 naming it.
  const after = await send([], true);
  assert.deepEqual(alerts(after, 1225).map((alert) => (alert as { items: Array<{ source?: { locUri: string } }> }).items[0].source?.locUri), [BLOB]);
  const end = await send([{ kind: 'Status', cmdId: '1', msgRef: after.header.msgId, cmdRef: alerts(after, 1225)[0].cmdId!, cmd: 'Alert', targetRefs: [], sourceRefs: [], items: [], data: 200 }], true);
  assert.equal(end.final, true);
  assert.equal(commandsOf(end).length, 0, 'the session ends');
  assert.equal((await fetch(proxy.url('/healthz'))).status, 200);
});

test('package 1 with a DevInfo value in chunks: 213, then the assembled value is published; a wrong Size gets 424 and nothing', async (t) => {
  const { proxy } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol(proxy, DEV);
  const url = dmUrl(proxy);
  const model = `M-${'m'.repeat(2000)}`;
  const replace = (cmdId: string, items: ItemCommand['items']): ItemCommand => ({ kind: 'Replace', cmdId, items });
  const part1 = await post(url, message(DEV, 1, [
    { kind: 'Alert', cmdId: '1', data: 1201, items: [] },
    replace('2', [{ source: { locUri: './DevInfo/Man' }, data: 'Acme' }, { source: { locUri: './DevInfo/Mod' }, meta: { size: Buffer.byteLength(model) }, data: model.slice(0, 900), moreData: true }]),
  ], false, true, url));
  assert.equal(statusOf(part1, '2')?.data, 213);
  const respUri = part1.header.respUri!;
  const part2 = await post(respUri, message(DEV, 2, [replace('1', [{ source: { locUri: './DevInfo/Mod' }, data: model.slice(900) }])], true, false, url));
  assert.equal(statusOf(part2, '1')?.data, 200);
  // rcn=8: the stored children, as published from package 1 (no read of the device).
  const node = await (await proxy.request('GET', `/proxy/${DEV}?rcn=8`, { headers: { Accept: 'application/json' } })).json() as Record<string, Record<string, Array<Record<string, unknown>>>>;
  assert.ok(node['m2m:nod']?.['m2m:dvi']?.[0]?.mod === model, `the assembled model in ${JSON.stringify(node).slice(0, 300)}`);

  // Another device whose chunked value does not match its Size: 424, nothing of it is kept.
  await enrol(proxy, 'IMEI:chunks-size');
  const wrong = await post(url, message('IMEI:chunks-size', 1, [
    { kind: 'Alert', cmdId: '1', data: 1201, items: [] },
    replace('2', [{ source: { locUri: './DevInfo/Mod' }, meta: { size: 5000 }, data: 'short', moreData: true }]),
  ], false, true, url));
  assert.equal(statusOf(wrong, '2')?.data, 213);
  const mismatch = await post(wrong.header.respUri!, message('IMEI:chunks-size', 2, [replace('1', [{ source: { locUri: './DevInfo/Mod' }, data: 'end' }])], true, false, url));
  assert.equal(statusOf(mismatch, '1')?.data, 424);
  const other = await (await proxy.request('GET', '/proxy/IMEI:chunks-size?rcn=8', { headers: { Accept: 'application/json' } })).json() as Record<string, Record<string, Array<Record<string, unknown>>>>;
  assert.equal(other['m2m:nod']?.['m2m:dvi']?.[0]?.mod, undefined);
});

test('a Replace larger than the device\'s MaxMsgSize goes in chunks, one per message, across a proxy restart; 213 is no answer, the last chunk\'s Status is', async (t) => {
  const first = await proxyWithOmadm();
  let proxy = first.proxy;
  t.after(() => proxy.stop(true));
  await enrol(proxy, DEV);
  const url = dmUrl(proxy);
  const value = Array.from({ length: 800 }, (_, i) => `v${i}&`).join('');
  await first.omadm.commandQueue.enqueue(DEV, { kind: 'Replace', cmdId: '', items: [{ target: { locUri: BLOB }, meta: { format: 'chr' }, data: value }] });
  const withMaxMsgSize = (sent: SyncmlMessage): SyncmlMessage => ({ ...sent, header: { ...sent.header, meta: { maxMsgSize: 2048, maxObjSize: 65536 } } });
  let answer = await post(url, withMaxMsgSize(message(DEV, 1, [
    { kind: 'Alert', cmdId: '1', data: 1201, items: [] },
    { kind: 'Replace', cmdId: '2', items: [{ source: { locUri: './DevInfo/Man' }, data: 'Acme' }] },
  ], true, true, url)));
  const respUri = answer.header.respUri!;
  let answers = captureAnswers(first.omadm);
  const chunks: string[] = [];
  for (let msgId = 2; ; msgId++) {
    assert.ok(msgId < 20, 'the object ends');
    const [replace, ...others] = commandsOf(answer) as ItemCommand[];
    assert.equal(others.length, 0, 'one chunk per message, nothing else');
    assert.equal(replace.kind, 'Replace');
    const item = replace.items[0];
    assert.equal(item.target?.locUri, BLOB, 'Target repeated on every chunk');
    assert.equal(item.meta?.format, 'chr', 'Meta repeated on every chunk');
    assert.equal(item.meta?.size, chunks.length === 0 ? Buffer.byteLength(value) : undefined, 'Size on the first chunk only');
    chunks.push(item.data ?? '');
    const last = !item.moreData;
    assert.equal(answer.final, last, 'a message with a chunk that is not the last is not final');
    if (msgId === 3) {
      // A restart between two chunks: the rest comes from the restarted proxy.
      await proxy.stop();
      const second = await proxyWithOmadm({ DM_PORT: String(new URL(url).port) }, first.proxy.dataDir);
      proxy = second.proxy;
      answers = captureAnswers(second.omadm);
    }
    const status: Status = { kind: 'Status', cmdId: '1', msgRef: answer.header.msgId, cmdRef: replace.cmdId, cmd: 'Replace', targetRefs: [BLOB], sourceRefs: [], items: [], data: last ? 200 : 213 };
    answer = await post(respUri, message(DEV, msgId, [status], true, false, url));
    if (last) break;
    assert.equal(answers.length, 0, '213 is not an answer');
  }
  assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
  assert.equal(chunks.join(''), value);
  assert.deepEqual(answers[0].statuses.map((status) => status.data), [200]);
});
