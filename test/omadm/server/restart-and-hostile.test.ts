import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ItemCommand, SYNCML_DM_XML, decodeSyncml, encodeSyncml } from '../../../src/omadm/v13/codec/index.js';
import { startTestProxy } from '../../helpers/proxy-harness.js';
import { device, dmUrl, enrol, message, post, readNode, statusOf } from './dm-test-kit.js';

test('a restart between two messages of package 1 loses nothing: the session goes on authenticated, the node comes from both messages', async (t) => {
  const first = await startTestProxy();
  let proxy = first;
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:restart');
  const url = dmUrl(proxy);

  const part1 = await post(url, message('IMEI:restart', 1, [
    { kind: 'Alert', cmdId: '1', data: 1201, items: [] },
    { kind: 'Replace', cmdId: '2', items: [{ source: { locUri: './DevInfo/Man' }, data: 'Acme' }, { source: { locUri: './DevInfo/Mod' }, data: 'M1' }] },
  ], false, true, url));
  assert.equal(statusOf(part1, '0')?.data, 212);
  assert.equal(statusOf(part1, '0')?.targetRefs[0], url, 'the header Status echoes the received Target');
  assert.equal(part1.final, false);
  assert.ok(part1.body.some((command) => command.kind === 'Alert' && command.data === 1222), 'Alert 1222 pulls the next message');
  const respUri = part1.header.respUri;
  assert.ok(respUri?.startsWith(`${url}?s=`), `RespURI ${respUri}`);
  assert.equal((await readNode(proxy, 'IMEI:restart')).rsc, '4004', 'package 1 is not complete yet');

  await proxy.stop();
  proxy = await startTestProxy({ DM_PORT: String(new URL(url).port) }, first.dataDir);

  const part2 = await post(respUri!, message('IMEI:restart', 2, [
    { kind: 'Alert', cmdId: '1', data: 1226, items: [{ source: { locUri: './FUMO' }, meta: { type: 'org.openmobilealliance.dm.firmwareupdate.downloadandupdate', format: 'int' }, data: '200' }] },
  ], true, false, url));
  assert.equal(statusOf(part2, '0')?.data, 200, 'still authenticated after the restart: no Cred needed');
  assert.equal(statusOf(part2, '1')?.data, 200, 'the Generic Alert is acknowledged');
  assert.equal(part2.final, true);
  // The restarted proxy publishes the device for the first time: it reads the SCOMO inventory in this session.
  const commands = part2.body.filter((command) => command.kind !== 'Status');
  assert.deepEqual(commands.map((command) => command.kind), ['Get']);
  const get = commands[0] as ItemCommand;
  assert.deepEqual(get.items.map((item) => item.target?.locUri), ['./SCOMO/Inventory/Deployed', './SCOMO/Download']);
  assert.equal((await readNode(proxy, 'IMEI:restart')).rsc, '2000', 'the node is published once package 1 completed');

  const noScomo = { kind: 'Status' as const, msgRef: part2.header.msgId, cmdRef: get.cmdId, cmd: 'Get', targetRefs: [], sourceRefs: [], items: [], data: 404 };
  const part3 = await post(respUri!, message('IMEI:restart', 3, [{ ...noScomo, cmdId: '1' }], true, false, url));
  assert.equal(part3.body.filter((command) => command.kind !== 'Status').length, 0, 'no more commands: the session ends');

  const late = await post(respUri!, message('IMEI:restart', 4, [], true, false, url));
  assert.equal(statusOf(late, '0')?.data, 407, 'the ended session is forgotten: a message without Cred is challenged');
});

test('hostile input gets a clear error and the proxy keeps serving', async (t) => {
  const proxy = await startTestProxy({ DM_BODY_LIMIT_BYTES: '4096' });
  t.after(() => proxy.stop(true));
  const url = dmUrl(proxy);
  const send = (body: string, contentType = SYNCML_DM_XML, target = url, method = 'POST') =>
    fetch(target, { method, headers: { 'content-type': contentType }, body: method === 'GET' ? undefined : body });
  const good = encodeSyncml(message('IMEI:hostile', 1, [{ kind: 'Alert', cmdId: '1', data: 1201, items: [] }], true, true, url));

  const truncated = await send(good.slice(0, good.length / 2));
  assert.equal(truncated.status, 400);
  assert.match(await truncated.text(), /not a SyncML DM message/);
  const doctype = await send(good.replace('<SyncML', '<!DOCTYPE SyncML [<!ENTITY x "boom">]><SyncML'));
  assert.equal(doctype.status, 400);
  assert.match(await doctype.text(), /DOCTYPE|declaration/i);
  const oversize = await send(good.replace('</SyncBody>', `${'<Unknown/>'.repeat(1000)}</SyncBody>`));
  assert.equal(oversize.status, 413);
  assert.match(await oversize.text(), /limit of 4096 bytes/);
  const wrongType = await send(good, 'application/json');
  assert.equal(wrongType.status, 415);
  assert.match(await wrongType.text(), /not SyncML/);
  assert.equal((await send(good, SYNCML_DM_XML, url.replace('/dm', '/elsewhere'))).status, 404);
  assert.equal((await send('', SYNCML_DM_XML, url, 'GET')).status, 405);

  const wrongVersion = await send(good.replace('<VerDTD>1.2</VerDTD>', '<VerDTD>1.1</VerDTD>'));
  assert.equal(wrongVersion.status, 200, 'a readable SyncHdr gets a SyncML answer');
  assert.equal(statusOf(decodeSyncml(await wrongVersion.text()), '0')?.data, 505);
  const unknownCommand = await send(good.replace('<Final/>', '<Sync><CmdID>9</CmdID></Sync><Final/>'));
  assert.equal(unknownCommand.status, 200);
  assert.equal(statusOf(decodeSyncml(await unknownCommand.text()), '0')?.data, 401, 'an unknown device is refused whatever it sends');

  // A flood of sessions from unknown devices: each refused, none remembered.
  const flood = await Promise.all(Array.from({ length: 200 }, (_, i) =>
    send(encodeSyncml(message(`IMEI:flood-${i}`, 1, [{ kind: 'Alert', cmdId: '1', data: 1201, items: [] }], true, true, url))).then(async (response) => {
      assert.equal(response.status, 200);
      return statusOf(decodeSyncml(await response.text()), '0')?.data;
    })));
  assert.ok(flood.every((code) => code === 401), `codes ${[...new Set(flood)]}`);

  assert.equal((await fetch(proxy.url('/healthz'))).status, 200);
  await enrol(proxy, 'IMEI:after');
  const sim = device(t, proxy, { devId: 'IMEI:after' });
  const outcome = await sim.openSession();
  assert.equal(outcome.result, 'completed', outcome.reason);
});
