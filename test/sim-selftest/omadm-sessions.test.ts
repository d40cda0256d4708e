import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type Alert, type Command, type ItemCommand, type Results, type Status, encodeSyncml } from '../../src/omadm/v13/codec/index.js';
import { md5CredentialData } from '../../src/omadm/v13/auth/index.js';
import { FUMO_ALERT_TYPE, SimulatedDmDevice, type DmDeviceOptions } from '../../src/sim/omadm/index.js';
import type { DmDeviceRecord } from '../../src/store/dm-credential-store.js';
import { DmScriptServer, add, del, exec, get, replace, type ScriptServerOptions } from './dm-script-server.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function setUp(serverOptions: ScriptServerOptions = {}, deviceOptions: Partial<DmDeviceOptions> = {}) {
  const server = await DmScriptServer.start(serverOptions);
  const device = new SimulatedDmDevice({ devId: 'IMEI:4711', server: server.url, ...deviceOptions });
  cleanups.push(() => device.close(), () => server.close());
  return { server, device };
}

const record = (auth: 'basic' | 'md5', nonces: DmDeviceRecord['nonces'] = {}): DmDeviceRecord => ({
  devId: 'IMEI:4711', auth, client: { user: 'dev', secret: 'device-secret' }, server: { id: 'dm-proxy', secret: 'server-secret' }, nonces,
});
const credentials = { user: 'dev', secret: 'device-secret' };

const statusOf = (server: DmScriptServer, cmdRef: string, msgId?: string): Status[] =>
  server.answers().filter((answer): answer is Status => answer.kind === 'Status' && answer.cmdRef === cmdRef && answer.cmd !== 'SyncHdr' && (msgId === undefined || answer.msgRef === msgId));
const resultsOf = (server: DmScriptServer): Results[] => server.answers().filter((answer): answer is Results => answer.kind === 'Results');
/** The code of the device's Status for the n-th command (1-based) of the first package 2 that had commands. */
function codes(server: DmScriptServer): Record<string, number> {
  const withCommands = server.sent.find((message) => message.body.some((command) => command.kind !== 'Status' && command.kind !== 'Alert'))!;
  const out: Record<string, number> = {};
  for (const command of withCommands.body) {
    if (command.kind === 'Status' || command.kind === 'Alert' || command.kind === 'Unknown' || command.kind === 'Results') continue;
    const target = command.kind === 'Exec' ? command.item.target!.locUri : 'items' in command ? command.items[0]?.target?.locUri ?? command.kind : command.kind;
    const found = server.answers().find((answer): answer is Status => answer.kind === 'Status' && answer.msgRef === withCommands.header.msgId && answer.cmdRef === command.cmdId);
    out[`${command.kind} ${target}`] = found?.data ?? -1;
  }
  return out;
}

describe('simulated OMA DM device: sessions against a scripted SyncML server', () => {
  it('a full md5 session (DM 1.3): package 1, Get leaf and interior, Replace, Exec, and the codes of refused commands', async () => {
    const { server, device } = await setUp({ device: record('md5'), sendCred: true }, { version: '1.3', ...credentials, serverSecret: 'server-secret', exec: { fumo: 'sync' } });
    server.queue(
      get('./DevInfo/Man', './FUMO'),
      replace('./FUMO/DownloadAndUpdate/PkgURL', 'http://127.0.0.1:1/fw.bin'),
      exec('./FUMO/DownloadAndUpdate'),
      get('./DevDetail/FwV'),
      get('./Nothing/Here'),
      replace('./DevInfo/Man', 'x'),
      add('./DevInfo/DevId', 'x'),
      del('./DevInfo'),
      exec('./FUMO/State'),
      add('./SCOMO/Download/app1', undefined, 'node'),
      get('./SCOMO/Download/app1'),
    );
    const outcome = await device.openSession();
    assert.equal(outcome.result, 'completed', outcome.reason);

    const package1 = server.received[0];
    assert.equal(package1.header.verDtd, '1.2');
    assert.equal(package1.header.verProto, 'DM/1.3');
    assert.equal(package1.header.source.locUri, 'IMEI:4711');
    assert.equal(package1.header.cred?.meta.type, 'syncml:auth-md5');
    assert.equal(package1.header.cred?.data, md5CredentialData('dev', 'device-secret', undefined), 'the first md5 Cred is over the empty nonce');
    assert.equal(package1.header.meta?.maxMsgSize, 16384);
    assert.deepEqual(package1.body.map((command) => command.kind), ['Alert', 'Replace']);
    assert.equal((package1.body[0] as Alert).data, 1201);
    const devInfo = package1.body[1] as ItemCommand;
    assert.deepEqual(devInfo.items.map((item) => [item.source?.locUri, item.data]), [
      ['./DevInfo/DevId', 'IMEI:4711'], ['./DevInfo/Man', 'onem2m-dm-proxy'], ['./DevInfo/Mod', 'dm-sim'], ['./DevInfo/DmV', '1.3'], ['./DevInfo/Lang', 'en-US'],
    ]);

    const package3 = server.received[1];
    assert.equal(package3.header.cred, undefined, 'no Cred after 212');
    const headerStatus = package3.body[0] as Status;
    assert.equal(headerStatus.cmd, 'SyncHdr');
    assert.equal(headerStatus.cmdRef, '0');
    assert.equal(headerStatus.data, 212, 'the server\'s md5 Cred was accepted');
    assert.equal(headerStatus.chal?.meta.type, 'syncml:auth-md5');
    assert.deepEqual(headerStatus.targetRefs, ['IMEI:4711']);
    assert.deepEqual(headerStatus.sourceRefs, [server.url]);
    assert.deepEqual(codes(server), {
      'Get ./DevInfo/Man': 200, 'Replace ./FUMO/DownloadAndUpdate/PkgURL': 200, 'Exec ./FUMO/DownloadAndUpdate': 200, 'Get ./DevDetail/FwV': 200,
      'Get ./Nothing/Here': 404, 'Replace ./DevInfo/Man': 425, 'Add ./DevInfo/DevId': 418, 'Delete ./DevInfo': 405, 'Exec ./FUMO/State': 405,
      'Add ./SCOMO/Download/app1': 200, 'Get ./SCOMO/Download/app1': 200,
    });
    const results = resultsOf(server);
    assert.deepEqual(results[0].items.map((item) => [item.source?.locUri, item.meta?.format, item.data]), [
      ['./DevInfo/Man', 'chr', 'onem2m-dm-proxy'], ['./FUMO', 'node', 'PkgName/PkgVersion/DownloadAndUpdate/State/Ext'],
    ]);
    assert.equal(results[1].items[0].data, '2.0.0', 'the synchronous update changed FwV before the Get');
    assert.equal(results[2].items[0].data, 'Operations', 'the device gave the new Download node its Operations');
    assert.equal(device.value('./FUMO/State'), '100');
    assert.equal(server.received.length, 2, 'the server\'s final message with only Status ended the session');
    assert.ok(device.events.some((event) => event.event === 'command' && event.cmd === 'Get' && event.path === './Nothing/Here' && event.status === 404));
  });

  it('md5 with a nonce the device does not know: 401 + Chal, package 1 again over the new nonce, 212', async () => {
    const { server, device } = await setUp({ device: record('md5', { toClient: Buffer.alloc(16, 7).toString('base64') }) }, credentials);
    server.queue(get('./DevInfo/DmV'));
    const outcome = await device.openSession();
    assert.equal(outcome.result, 'completed', outcome.reason);
    assert.equal(server.sent[0].body[0].kind === 'Status' && (server.sent[0].body[0] as Status).data, 401);
    const nonce = (server.sent[0].body[0] as Status).chal!.meta.nextNonce!;
    const retry = server.received[1];
    assert.deepEqual(retry.body.map((command) => command.kind), ['Status', 'Alert', 'Replace'], 'package 1 again, after the Status for the server header');
    assert.equal(retry.header.sessionId, server.received[0].header.sessionId);
    assert.equal(retry.header.cred?.data, md5CredentialData('dev', 'device-secret', nonce));
    assert.equal((server.sent[1].body[0] as Status).data, 212);
    assert.equal(resultsOf(server)[0].items[0].data, '1.2');
    assert.ok(device.events.some((event) => event.event === 'challenged' && event.status === 401 && event.type === 'md5'));

    const second = await device.openSession();
    assert.equal(second.result, 'completed');
    const nextNonce = (server.sent[1].body[0] as Status).chal!.meta.nextNonce;
    assert.equal(server.received.at(-1)!.header.cred?.data, md5CredentialData('dev', 'device-secret', nextNonce), 'the next session uses the nonce that came with 212');
  });

  it('basic: the device configured for md5 follows a Chal asking for basic', async () => {
    const { server, device } = await setUp({ device: record('basic') }, credentials);
    const outcome = await device.openSession();
    assert.equal(outcome.result, 'completed', outcome.reason);
    assert.equal(server.received[0].header.cred?.meta.type, 'syncml:auth-md5');
    assert.equal((server.sent[0].body[0] as Status).data, 401);
    assert.equal(server.received[1].header.cred?.meta.type, 'syncml:auth-basic');
    assert.equal(server.received[1].header.cred?.data, Buffer.from('dev:device-secret').toString('base64'));
    assert.equal((server.sent[1].body[0] as Status).data, 212);
  });

  it('a wrong secret: two challenges, then the session ends as auth-failed and runs no command', async () => {
    const { server, device } = await setUp({ device: record('md5') }, credentials);
    device.faults.wrongSecret = true;
    server.queue(replace('./FUMO/DownloadAndUpdate/PkgURL', 'http://x'));
    const outcome = await device.openSession();
    assert.equal(outcome.result, 'auth-failed');
    assert.deepEqual(server.sent.map((message) => (message.body[0] as Status).data), [401, 401, 401]);
    assert.equal(device.value('./FUMO/DownloadAndUpdate/PkgURL'), '');
  });

  it('a server with the wrong secret gets 401 + Chal for its header and every command, none carried out', async () => {
    const wrongServer = { ...record('md5'), server: { id: 'dm-proxy', secret: 'not-it' } };
    const { server, device } = await setUp({ device: wrongServer, sendCred: true }, { ...credentials, serverSecret: 'server-secret' });
    server.queue(replace('./FUMO/DownloadAndUpdate/PkgURL', 'http://x'));
    const outcome = await device.openSession();
    assert.equal(outcome.result, 'completed');
    const answer = server.received[1];
    assert.equal((answer.body[0] as Status).data, 401);
    assert.equal((answer.body[0] as Status).chal?.meta.type, 'syncml:auth-md5');
    assert.deepEqual(answer.body.slice(1).map((command) => (command as Status).data), [401]);
    assert.equal(device.value('./FUMO/DownloadAndUpdate/PkgURL'), '');
  });

  it('FUMO asynchronous: 202, then a new session with Generic Alert 1226 carrying the Correlator; acknowledged, it is not sent again', async () => {
    const { server, device } = await setUp({}, { exec: { asyncDelayMs: 20 } });
    server.queue(replace('./FUMO/DownloadAndUpdate/PkgURL', 'http://127.0.0.1:1/fw.bin'), exec('./FUMO/DownloadAndUpdate', 'corr-42'));
    assert.equal((await device.openSession()).result, 'completed');
    assert.equal(codes(server)['Exec ./FUMO/DownloadAndUpdate'], 202);
    assert.ok(device.events.some((event) => event.event === 'firmware' && event.state === 30), 'State 30 (download progressing) while the update runs');
    const withAlert = await server.waitForMessage((message) => message.body.some((command) => command.kind === 'Alert' && command.data === 1226));
    const alert = withAlert.body.find((command): command is Alert => command.kind === 'Alert' && command.data === 1226)!;
    assert.equal((withAlert.body[0] as Alert).data, 1201, 'a new client-initiated session');
    assert.equal(alert.correlator, 'corr-42');
    assert.equal(alert.items[0].source?.locUri, './FUMO/DownloadAndUpdate');
    assert.equal(alert.items[0].meta?.type, FUMO_ALERT_TYPE);
    assert.equal(alert.items[0].data, '200');
    await device.waitFor((event) => event.event === 'generic-alert-delivered');
    assert.equal(device.pendingAlerts.length, 0);
    assert.equal(device.value('./FUMO/State'), '100');
    assert.equal(device.value('./DevDetail/FwV'), '2.0.0');
    assert.equal(statusOf(server, alert.cmdId, withAlert.header.msgId).length, 0, 'the device sends no Status for the server\'s Status');
  });

  it('DM 1.2: VerProto DM/1.2, DmV 1.2; a trigger opens with Alert 1200 and the given SessionID', async () => {
    const { server, device } = await setUp();
    assert.equal((await device.trigger('1A2B')).result, 'completed');
    assert.equal(server.received[0].header.verProto, 'DM/1.2');
    assert.equal(server.received[0].header.sessionId, '1A2B');
    assert.equal((server.received[0].body[0] as Alert).data, 1200);
    assert.equal(server.received[0].header.cred, undefined, 'no credentials configured: no Cred');
  });

  it('follows RespURI, splits its answers by the server\'s MaxMsgSize, pulls the server\'s next message with Alert 1222', async () => {
    const { server, device } = await setUp({ respUri: true, maxMsgSize: 1400, commandsPerMessage: 3 });
    server.queue(...Array.from({ length: 6 }, () => get('./DevDetail')));
    assert.equal((await device.openSession()).result, 'completed');
    assert.deepEqual(server.paths.slice(1).every((path) => path === '/dm?s=1'), true, `paths ${server.paths}`);
    assert.equal(server.sent[0].final, false);
    assert.ok(server.received.some((message) => message.body.some((command) => command.kind === 'Alert' && command.data === 1222)), 'the server\'s package 2 had no Final: Alert 1222');
    assert.ok(server.received.some((message) => !message.final && message.body.some((command) => command.kind === 'Results')), 'a device message without Final');
    assert.equal(resultsOf(server).length, 6);
    for (const message of server.received.slice(1)) assert.ok(Buffer.byteLength(encodeSyncml(message)) <= 1400, 'each device message fits the server\'s MaxMsgSize');
    assert.ok(server.sent.some((message) => message.body.some((command) => command.kind === 'Alert' && command.data === 1222)), 'the server pulled the device\'s next message');
  });

  it('fault switches: a forced status per path, and a session that goes silent', async () => {
    const { server, device } = await setUp();
    device.faults.forceStatus('./DevInfo/Man', 500, { cmd: 'Get' });
    server.queue(get('./DevInfo/Man'), get('./DevInfo/Mod'));
    assert.equal((await device.openSession()).result, 'completed');
    assert.deepEqual(codes(server), { 'Get ./DevInfo/Man': 500, 'Get ./DevInfo/Mod': 200 });
    assert.equal(resultsOf(server).length, 1);

    device.faults.dropAfterMessages = 1;
    server.queue(get('./DevInfo/Lang'));
    const dropped = await device.openSession();
    assert.equal(dropped.result, 'dropped');
    assert.equal(dropped.messages, 1);
  });

  it('Atomic rolls back on a failure (507, 216 for the done part); SCOMO DownloadInstall ends in OperationComplete 1200', async () => {
    const { server, device } = await setUp({}, { exec: { asyncDelayMs: 10 } });
    const atomic: Command = { kind: 'Atomic', cmdId: '', commands: [replace('./FUMO/PkgName', 'changed'), replace('./FUMO/Missing', 'x')] };
    server.queue(atomic, add('./SCOMO/Download/app1/PkgURL', 'http://127.0.0.1:1/app1.pkg'), add('./SCOMO/Download/app1/Name', 'App One'),
      exec('./SCOMO/Download/app1/Operations/DownloadInstall', 'scomo-1'));
    assert.equal((await device.openSession()).result, 'completed');
    const answers = server.answers().filter((answer): answer is Status => answer.kind === 'Status' && answer.cmd !== 'SyncHdr' && answer.msgRef === server.sent[0].header.msgId);
    assert.deepEqual(answers.map((answer) => [answer.cmd, answer.data]), [
      ['Atomic', 507], ['Replace', 216], ['Replace', 404], ['Add', 200], ['Add', 200], ['Exec', 202],
    ]);
    assert.equal(device.value('./FUMO/PkgName'), 'dm-sim-firmware', 'rolled back');
    const withAlert = await server.waitForMessage((message) => message.body.some((command) => command.kind === 'Alert' && command.data === 1226));
    const alert = withAlert.body.find((command): command is Alert => command.kind === 'Alert' && command.data === 1226)!;
    assert.deepEqual([alert.correlator, alert.items[0].meta?.type, alert.items[0].data], ['scomo-1', 'urn:oma:at:scomo:1.0:OperationComplete', '1200']);
    assert.equal(device.value('./SCOMO/Inventory/Deployed/app1/Name'), 'App One');
    assert.equal(device.value('./SCOMO/Inventory/Deployed/app1/State'), '20');
  });

  it('an unreachable server: session-ended unreachable, no crash', async () => {
    const device = new SimulatedDmDevice({ devId: 'IMEI:1', server: 'http://127.0.0.1:9/dm', requestTimeoutMs: 2000 });
    cleanups.push(() => device.close());
    const outcome = await device.openSession();
    assert.equal(outcome.result, 'unreachable');
  });
});
