import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyWithOmadm, readNode } from '../server/dm-test-kit.js';
import { DEVINFO, INITIATION, basicAuth, commandsOf, dm2Url, enrol2, package1, package3, raw, recordingEvents } from './dm2-test-kit.js';

test('DM 2.0: a restart between package 2 and package 3 loses no command: the statuses pair with the commands sent before it', async (t) => {
  let { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol2(proxy, 'DM2-restart', 'basic');
  const url = dm2Url(proxy);
  const [first, second] = await omadm.dm2Queue.enqueueAll('DM2-restart', [{ command: ['GET', `${DEVINFO}//Man`] }, { command: ['DELETE', `${DEVINFO}//Ext/x`] }]);
  assert.equal(commandsOf(await package1(url, 'DM2-restart', INITIATION, basicAuth())).length, 2);

  const { dataDir } = proxy;
  await proxy.stop();
  ({ proxy, omadm } = await proxyWithOmadm({ DM_PORT: new URL(url).port }, dataDir));
  const { events, log } = recordingEvents();
  omadm.dm2Events = events;
  assert.equal(await omadm.dm2InSession('DM2-restart'), true, 'the session is in the store');
  assert.deepEqual(commandsOf(await package3(url, 'DM2-restart', { Status: [{ sc: 200, Data: [{ ClientURI: `${DEVINFO}//Man`, MOData: 'Acme' }] }, { sc: 405 }] }, basicAuth())), [['END']]);
  assert.deepEqual(log.map(([kind, , id, status]) => [kind, id, (status as { sc: number }).sc]), [['answered', first.id, 200], ['answered', second.id, 405]]);
});

test('DM 2.0 hostile packages: wrong media types, no DevID, malformed, deep, huge or mistyped JSON get clear 4xx answers, and the next good session works', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm({ DM_BODY_LIMIT_BYTES: String(256 * 1024) });
  t.after(() => proxy.stop(true));
  await enrol2(proxy, 'DM2-hostile', 'basic');
  const url = dm2Url(proxy);
  const entry = await omadm.dm2Queue.enqueue('DM2-hostile', ['GET', `${DEVINFO}//Man`]);
  const send = (body: string, contentType?: string) => package1(url, 'DM2-hostile', body, basicAuth(), contentType);

  const cases: Array<[string, Awaited<ReturnType<typeof send>>, number, RegExp]> = [
    ['SyncML media type', await send(JSON.stringify(INITIATION), 'application/vnd.syncml.dm+xml'), 415, /no DM 2.0 package/],
    ['plain JSON', await send(JSON.stringify(INITIATION), 'application/json'), 415, /initiation\+json/],
    ['another charset', await send(JSON.stringify(INITIATION), 'application/vnd.oma.dm.initiation+json; charset=iso-8859-1'), 415, /no DM 2.0 package/],
    ['malformed', await send('{"MOS": [', undefined), 400, /malformed JSON/],
    ['not UTF-8', await send(Buffer.from([0x7b, 0xff, 0x7d]).toString('latin1'), undefined), 400, /./],
    ['deep nesting', await send(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 400, /nested deeper than 32/],
    ['deep nesting in a string is fine, a huge MOS list is not', await send(JSON.stringify({ MOS: Array.from({ length: 5000 }, () => ({ MOID: '[[[[', MIID: [] })) })), 400, /MOS has 5000 entries/],
    ['MOID a number', await send(JSON.stringify({ MOS: [{ MOID: 7, MIID: [] }] })), 400, /MOS\[0\]\.MOID must be a string/],
    ['MIID an object', await send(JSON.stringify({ MOS: [{ MOID: DEVINFO, MIID: { a: 1 } }] })), 400, /MOS\[0\]\.MIID must be a JSON array/],
    ['Alert without AlertType', await send(JSON.stringify({ Alert: [{ Data: 1 }] })), 400, /Alert\[0\]\.AlertType must be a string/],
    ['notification id out of range', await send(JSON.stringify({ Alert: [{ AlertType: 'urn:oma:at:dm:2.0:ServerInitiatedMgmt', Data: 70000 }] })), 400, /NOTIFICATION-ID/],
    ['an array for the package', await send('[]'), 400, /package 1 must be a JSON object/],
    ['too large', await send(JSON.stringify({ MOS: [], pad: 'x'.repeat(300 * 1024) })), 413, /over the limit/],
  ];
  for (const [name, answer, status, reason] of cases) {
    assert.equal(answer.status, status, `${name}: ${answer.text}`);
    assert.match(answer.text, reason, name);
  }
  const noDevId = await raw(url, 'POST', { 'content-type': 'application/vnd.oma.dm.initiation+json', authorization: basicAuth() }, JSON.stringify(INITIATION));
  assert.equal(noDevId.status, 400);
  assert.match(noDevId.text, /OMADM-DevID/);
  assert.equal((await raw(url, 'GET', {})).status, 405);
  assert.equal((await readNode(proxy, 'DM2-hostile')).rsc, '4004', 'nothing published by refused packages');
  assert.deepEqual((await omadm.dm2Queue.waiting('DM2-hostile')).map((waiting) => waiting.id), [entry.id], 'no command went out');

  assert.deepEqual(commandsOf(await send(JSON.stringify({ MOS: [{ MOID: DEVINFO, MIID: [''] }], Alert: [{ AlertType: 'urn:oma:at:dm:2.0:ServerInitiatedMgmt', Data: '4660' }] }))), [['GET', `${DEVINFO}//Man`]]);
  const hostile3: Array<[unknown, RegExp]> = [
    [{ Status: [{ sc: '200' }] }, /Status\[0\]\.sc must be an integer/],
    [{ Status: [{ sc: 200, URI: [1] }] }, /Status\[0\]\.URI\[0\] must be a string/],
    [{ Alert: [] }, /no Status list/],
    [{ Status: {} }, /Status must be a JSON array/],
  ];
  for (const [body, reason] of hostile3) {
    const answer = await package3(url, 'DM2-hostile', body, basicAuth());
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.match(answer.text, reason);
  }
  assert.deepEqual(commandsOf(await package3(url, 'DM2-hostile', { Status: [{ sc: 200, Data: 'Acme' }] }, basicAuth())), [['END']], 'the session survived the unreadable packages 3');
});
