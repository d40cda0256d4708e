import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SESSION_URI } from '../../../src/omadm/v20/session/index.js';
import { proxyWithOmadm, readNode } from '../server/dm-test-kit.js';
import {
  DEVINFO, DigestClient, FUMO, INITIATION, basicAuth, commandsOf, dm2Url, enrol2, package1, package3, recordingEvents,
} from './dm2-test-kit.js';

test('DM 2.0 with Basic: no or wrong credentials get 401 and change nothing; package 1 publishes the node with the listed MOs; END when nothing waits', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  const { events, log } = recordingEvents();
  omadm.dm2Events = events;
  await enrol2(proxy, 'DM2-basic', 'basic');
  await omadm.dm2Queue.enqueue('DM2-basic', ['GET', `${DEVINFO}//Man`]);
  const url = dm2Url(proxy);

  const none = await package1(url, 'DM2-basic', INITIATION);
  assert.equal(none.status, 401);
  assert.match(String(none.headers['www-authenticate']), /^Basic realm="dm-proxy"/);
  const wrong = await package1(url, 'DM2-basic', INITIATION, basicAuth('dev2', 'not-the-secret'));
  assert.equal(wrong.status, 401);
  const unknown = await package1(url, 'DM2-nobody', INITIATION, basicAuth());
  assert.equal(unknown.status, 401, 'a DevId without DM 2.0 credentials');
  assert.match(String(unknown.headers['www-authenticate']), /Digest/, 'challenged like any digest device');
  assert.equal((await readNode(proxy, 'DM2-basic')).rsc, '4004', 'no node before authentication');
  assert.equal((await omadm.dm2Queue.waiting('DM2-basic')).length, 1, 'no command went out');
  assert.equal(log.length, 0);

  const answer = await package1(url, 'DM2-basic', INITIATION, basicAuth());
  assert.equal(answer.headers['content-type'], 'application/vnd.oma.dm.request+json');
  assert.deepEqual(commandsOf(answer), [['GET', `${DEVINFO}//Man`]]);
  const { node, children } = await readNode(proxy, 'DM2-basic');
  assert.ok(node, 'the node is published');
  assert.match(children, /deviceInfo/);
  assert.match(children, /firmware/);
  assert.doesNotMatch(children, /reboot|battery/, 'only the MOs the device listed');
  assert.deepEqual(log.map(([kind]) => kind), ['published', 'sent']);
  assert.deepEqual(log[0], ['published', 'DM2-basic', [DEVINFO, FUMO]]);

  const last = await package3(url, 'DM2-basic', { Status: [{ sc: 200, Data: [{ ClientURI: `${DEVINFO}//Man`, CV: 'v1', MOData: 'Acme' }] }] }, basicAuth());
  assert.deepEqual(commandsOf(last), [['END']]);
  const answered = log.find(([kind]) => kind === 'answered');
  assert.deepEqual(answered?.[3], { sc: 200, moData: [{ clientUri: `${DEVINFO}//Man`, cv: 'v1', moData: 'Acme' }] });
  assert.equal(await omadm.dm2InSession('DM2-basic'), false, 'END ended the session');
  const after = await package3(url, 'DM2-basic', { Status: [] }, basicAuth());
  assert.equal(after.status, 400, 'no package 3 after END');
  assert.match(after.text, /no DM 2.0 session is open/);
});

test('DM 2.0 queued commands go out in order with absolute URLs; statuses pair by position; follow-ups go out in the same session; Generic Alerts are reported', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  const { events, log } = recordingEvents();
  let followUp = true;
  omadm.dm2Events = {
    ...events,
    async commandAnswered(devId, entry, status) {
      events.commandAnswered(devId, entry, status);
      if (followUp) {
        followUp = false;
        await omadm.dm2Queue.enqueue(devId, ['DELETE', `${FUMO}/fw1/PkgName`]);
      }
    },
  };
  await enrol2(proxy, 'DM2-order', 'basic');
  const offered = omadm.dm2Repository.offer('DM2-order', { contentType: 'application/vnd.oma.dm.mo+json', body: Buffer.from('[]') });
  const queued = await omadm.dm2Queue.enqueueAll('DM2-order', [
    { command: ['HGET', offered, `${FUMO}/fw1/PkgURL`] },
    { command: ['EXEC', `${FUMO}/fw1/DownloadAndUpdate`, '/dm2'] },
    { command: ['CONT', SESSION_URI] },
  ]);
  const url = dm2Url(proxy);
  const origin = new URL(url).origin;

  const p2 = commandsOf(await package1(url, 'DM2-order', { ...INITIATION, Alert: [...INITIATION.Alert, { AlertType: 'urn:oma:at:fumo:1.0:Ping', SourceURI: `${FUMO}/fw1`, Data: 7 }] }, basicAuth()));
  assert.equal(p2.length, 3);
  assert.deepEqual(p2[0], ['HGET', `${origin}${offered}`, `${FUMO}/fw1/PkgURL`]);
  assert.deepEqual(p2[1], ['EXEC', `${FUMO}/fw1/DownloadAndUpdate`, `${origin}/dm2`]);
  assert.equal(p2[2][0], 'CONT');
  assert.match(p2[2][1], new RegExp(`^${origin}/dm2\\?s=[A-Za-z0-9_-]{22}$`), 'the session URL');
  assert.deepEqual(log.find(([kind]) => kind === 'alert')?.[2], { alertType: 'urn:oma:at:fumo:1.0:Ping', sourceUri: `${FUMO}/fw1`, data: 7 });

  // The device follows the CONT: its package 3 goes to the session URL.
  const wrongSession = await package3(`${url}?s=AAAAAAAAAAAAAAAAAAAAAA`, 'DM2-order', { Status: [{ sc: 200 }, { sc: 202 }, { sc: 200 }] }, basicAuth());
  assert.equal(wrongSession.status, 404);
  const p2b = commandsOf(await package3(p2[2][1], 'DM2-order', { Status: [{ sc: 200, URI: [`${FUMO}/fw1/PkgURL`] }, { sc: 202 }, { sc: 200 }], Alert: [{ AlertType: 'urn:oma:at:dm:2.0:Generic', Data: { DM1x: 'x' } }] }, basicAuth()));
  assert.deepEqual(p2b, [['DELETE', `${FUMO}/fw1/PkgName`]], 'the follow-up queued while answering goes out in this session');
  const answered = log.filter(([kind]) => kind === 'answered');
  assert.deepEqual(answered.slice(0, 3).map(([, , id, status]) => [id, (status as { sc: number }).sc]), queued.map((entry, index) => [entry.id, [200, 202, 200][index]]));
  assert.deepEqual((answered[0][3] as { uris: string[] }).uris, [`${FUMO}/fw1/PkgURL`]);
  assert.ok(log.some(([kind, , alert]) => kind === 'alert' && (alert as { alertType: string }).alertType === 'urn:oma:at:dm:2.0:Generic'));
  assert.deepEqual(commandsOf(await package3(url, 'DM2-order', { Status: [{ sc: 404 }] }, basicAuth())), [['END']]);
  assert.equal(log.filter(([kind]) => kind === 'lost').length, 0);
});

test('DM 2.0 package 3 with fewer or more statuses than commands: 400 naming both counts, the unpaired commands lost, the queue keeps the rest', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  const { events, log } = recordingEvents();
  omadm.dm2Events = events;
  await enrol2(proxy, 'DM2-count', 'basic');
  const url = dm2Url(proxy);
  const [first, second] = await omadm.dm2Queue.enqueueAll('DM2-count', [{ command: ['GET', `${DEVINFO}//Man`] }, { command: ['GET', `${DEVINFO}//Mod`] }]);
  assert.equal(commandsOf(await package1(url, 'DM2-count', INITIATION, basicAuth())).length, 2);
  const later = await omadm.dm2Queue.enqueue('DM2-count', ['GET', `${DEVINFO}//FwV`]);

  const short = await package3(url, 'DM2-count', { Status: [{ sc: 200 }] }, basicAuth());
  assert.equal(short.status, 400);
  assert.match(short.text, /package 3 has 1 statuses for the 2 commands of package 2/);
  assert.deepEqual(log.filter(([kind]) => kind === 'answered').map(([, , id]) => id), [first.id]);
  const lost = log.filter(([kind]) => kind === 'lost');
  assert.deepEqual(lost.map(([, , id]) => id), [second.id]);
  assert.match(String(lost[0][3]), /no status for it/);
  assert.deepEqual((await omadm.dm2Queue.waiting('DM2-count')).map((entry) => entry.id), [later.id], 'nothing else lost');

  // Too many statuses: every command paired, the session ends all the same.
  assert.deepEqual(commandsOf(await package1(url, 'DM2-count', INITIATION, basicAuth())), [['GET', `${DEVINFO}//FwV`]]);
  const long = await package3(url, 'DM2-count', { Status: [{ sc: 200 }, { sc: 200 }] }, basicAuth());
  assert.equal(long.status, 400);
  assert.match(long.text, /2 statuses for the 1 commands/);
  assert.ok(log.some(([kind, , id]) => kind === 'answered' && id === later.id));
  assert.equal(await omadm.dm2InSession('DM2-count'), false);
});

test('DM 2.0 package 1 again while commands await statuses: they are reported lost, the new session goes on', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  const { events, log } = recordingEvents();
  omadm.dm2Events = events;
  await enrol2(proxy, 'DM2-again', 'basic');
  const url = dm2Url(proxy);
  const entry = await omadm.dm2Queue.enqueue('DM2-again', ['GET', `${DEVINFO}//Man`]);
  commandsOf(await package1(url, 'DM2-again', INITIATION, basicAuth()));
  assert.deepEqual(commandsOf(await package1(url, 'DM2-again', INITIATION, basicAuth())), [['END']]);
  assert.deepEqual(log.filter(([kind]) => kind === 'lost').map(([, , id]) => id), [entry.id]);
});

test('DM 2.0 session idle past DM_SESSION_IDLE_S: its unanswered commands are reported lost, a late package 3 finds no session', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm({ DM_SESSION_IDLE_S: '1' });
  t.after(() => proxy.stop(true));
  const { events, log } = recordingEvents();
  const lost = new Promise<string>((resolve) => {
    omadm.dm2Events = { ...events, commandLost: (devId, entry, reason) => resolve(`${entry.id}: ${reason}`) };
  });
  await enrol2(proxy, 'DM2-idle', 'basic');
  const url = dm2Url(proxy);
  const entry = await omadm.dm2Queue.enqueue('DM2-idle', ['GET', `${DEVINFO}//Man`]);
  commandsOf(await package1(url, 'DM2-idle', INITIATION, basicAuth()));
  assert.equal(await lost, `${entry.id}: the session went idle`);
  assert.equal((await package3(url, 'DM2-idle', { Status: [{ sc: 200 }] }, basicAuth())).status, 400);
  assert.equal(log.filter(([kind]) => kind === 'answered').length, 0);
});
