import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MOID, SimulatedDm2Device, encodeDm2Package0, type Dm2DeviceOptions, type MoDataEntry, type Package1, type Package3 } from '../../src/sim/omadm2/index.js';
import { Dm2ScriptServer, type Dm2ScriptOptions } from './dm2-script-server.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function setUp(serverOptions: Dm2ScriptOptions = {}, deviceOptions: Partial<Dm2DeviceOptions> = {}) {
  const server = await Dm2ScriptServer.start(serverOptions);
  const device = new SimulatedDm2Device({ devId: 'IMEI:2000', server: server.url, ...deviceOptions });
  cleanups.push(() => device.close(), () => server.close());
  return { server, device };
}

const DEVINFO = `${MOID.devInfo}//`;
const FUMO = `${MOID.fumo}/1/`;
const SCOMO = `${MOID.scomo}//`;
const basic = { scheme: 'basic' as const, user: 'dev', secret: 's3cret' };
const package3s = (server: Dm2ScriptServer): Package3[] => server.packages().slice(1).map((request) => request.json as Package3);
const codes = (package3: Package3): number[] => package3.Status.map((status) => status.sc);

describe('simulated OMA DM 2.0 device: sessions against a scripted DM 2.0 server', () => {
  it('package 1, GET (MO data, cv → 304), HGET, HPUT, DELETE, EXEC, positional statuses; END sends nothing back', async () => {
    const { server, device } = await setUp({ auth: basic }, { user: 'dev', secret: 's3cret', exec: { scomo: 'sync' } });
    server.repository.set('/repo/app1', { body: JSON.stringify([{ ClientURI: `${SCOMO}Download/app1`, MOData: { app1: { PkgURL: 'http://127.0.0.1:1/app1.pkg', Name: 'app1' } } }]) });
    server.repository.set('/repo/newfumo', { body: JSON.stringify([{ MOData: { FUMO: { PkgName: 'second', State: 10 } } }]) });
    server.repository.set('/repo/pkgurl', { body: JSON.stringify([{ MOData: { PkgURL: 'http://127.0.0.1:1/fw.bin' } }]) });
    server.repository.set('/repo/bad', { contentType: 'text/plain', body: 'x' });
    server.queue(
      ['GET', DEVINFO],
      ['GET', `${DEVINFO}FwV`],
      ['GET', `${MOID.fumo}/9/State`],
      ['DELETE', `${DEVINFO}Man`],
      ['HGET', `${server.origin}/repo/app1`, `${SCOMO}Download/app1`],
      ['EXEC', `${SCOMO}Download/app1/Operations/DownloadInstall`],
      ['HGET', `${server.origin}/repo/newfumo`, MOID.fumo],
      ['HGET', `${server.origin}/repo/pkgurl`, `${FUMO}DownloadAndUpdate/PkgURL`],
      ['HPUT', `${server.origin}/repo/up1`, DEVINFO, `${FUMO}State`],
      ['HGET', `${server.origin}/repo/bad`, `${FUMO}PkgName`],
      ['HGET', `${server.origin}/repo/missing`, `${FUMO}PkgName`],
      ['EXEC', `${FUMO}State`],
      ['FROB', 'x'],
      ['GET', 'not-a-client-uri'],
    );
    const outcome = await device.openSession();
    assert.equal(outcome.result, 'completed', outcome.reason);

    const [package1] = server.packages();
    assert.equal(package1.path, '/dm2');
    assert.equal(package1.headers['content-type'], 'application/vnd.oma.dm.initiation+json');
    assert.equal(package1.headers.accept, 'application/vnd.oma.dm.request+json');
    assert.equal(package1.headers['omadm-devid'], 'IMEI:2000');
    assert.equal(package1.headers.authorization, `Basic ${Buffer.from('dev:s3cret').toString('base64')}`);
    const body1 = package1.json as Package1;
    assert.deepEqual(body1.Alert, [{ AlertType: 'urn:oma:at:dm:2.0:ClientInitiatedMgmt' }]);
    assert.deepEqual(body1.MOS, [MOID.devInfo, MOID.fumo, MOID.scomo, MOID.lawmo, MOID.diagMon].map((moid) => ({ MOID: moid, MIID: ['1'] })));

    const [first, second] = package3s(server);
    assert.equal(server.packages()[1].headers['content-type'], 'application/vnd.oma.dm.response+json');
    assert.deepEqual(codes(first), [200, 200, 404, 405, 200, 200, 200, 200, 200, 415, 419, 405, 501, 400]);
    const devInfo = first.Status[0].Data as MoDataEntry[];
    assert.equal(devInfo.length, 1);
    assert.equal(devInfo[0].ClientURI, `${MOID.devInfo}/1/`);
    assert.match(devInfo[0].CV ?? '', /^[0-9a-f]{16}$/);
    assert.deepEqual(devInfo[0].MOData, {
      DevInfo: { DevID: 'IMEI:2000', Man: 'onem2m-dm-proxy', Mod: 'dm-sim', DmV: '2.0', Lang: 'en-US', DevType: 'simulator', OEM: 'onem2m-dm-proxy', FwV: '1.0.0', SwV: '1.0.0', HwV: '1.0', Ext: {} },
    });
    assert.deepEqual(first.Status[1].Data?.[0].MOData, { FwV: '1.0.0' });
    assert.deepEqual(first.Status[6].URI, [`${MOID.fumo}/2/`], 'the new FUMO instance gets MIID 2');
    assert.equal(first.Status[4].URI, undefined, 'HGET with a ClientURI names no location');
    assert.equal(device.value('./SCOMO/Inventory/Deployed/app1/Name'), 'app1', 'DownloadInstall deployed the HGET component');
    assert.equal(device.value('./FUMO/DownloadAndUpdate/PkgURL'), 'http://127.0.0.1:1/fw.bin');
    const upload = server.uploads().find((request) => request.path === '/repo/up1')!;
    assert.equal(upload.method, 'PUT');
    assert.equal(upload.headers['content-type'], 'application/json');
    assert.deepEqual((upload.json as MoDataEntry[]).map((entry) => [entry.ClientURI, Object.keys(entry.MOData)]), [[`${MOID.devInfo}/1/`, ['DevInfo']], [`${MOID.fumo}/1/State`, ['State']]]);
    assert.deepEqual((upload.json as MoDataEntry[])[1].MOData, { State: '10' });
    assert.equal(second, undefined, 'the package 2 after was END: no package 3 for it');

    // Second session: the cache validator answers 304 until the instance changes; the new instance is in MOS.
    const cv = devInfo[0].CV as string;
    server.queue(['GET', `${DEVINFO}?cv=${cv}`], ['HPOST', `${server.origin}/repo/up2`, `${DEVINFO}Man?cv=${cv}`], ['GET', `${FUMO}?cv=${cv}`], ['DELETE', `${MOID.fumo}/2/`], ['UNSUB', `${FUMO}State`]);
    assert.equal((await device.openSession()).result, 'completed');
    const again = server.packages().at(-1)!.json as Package3;
    assert.deepEqual(codes(again), [304, 304, 200, 200, 404]);
    assert.deepEqual((server.packages().at(-2)!.json as Package1).MOS[1], { MOID: MOID.fumo, MIID: ['1', '2'] });
    assert.ok(!server.uploads().some((request) => request.path === '/repo/up2'), '304: nothing sent to the ServerURI');
    assert.equal(device.tree.node('./FUMO-urn-oma-mo-oma-fumo-1-0-2'), undefined, 'DELETE removed the instance');
  });

  for (const algorithm of ['SHA-256', 'MD5'] as const) {
    it(`answers a Digest challenge (${algorithm}, qop=auth) and reuses the nonce for package 3 and the repository`, async () => {
      const { server, device } = await setUp({ auth: { scheme: 'digest', user: 'dev', secret: 'pw', algorithm } }, { user: 'dev', secret: 'pw', auth: 'digest' });
      server.repository.set('/repo/x', { body: JSON.stringify([{ MOData: { PkgName: 'fw-b' } }]) });
      server.queue(['HGET', `${server.origin}/repo/x`, `${FUMO}PkgName`]);
      const outcome = await device.openSession();
      assert.equal(outcome.result, 'completed', outcome.reason);
      assert.deepEqual(codes(package3s(server)[0]), [200]);
      assert.equal(device.value('./FUMO/PkgName'), 'fw-b');
      await device.waitFor((event) => event.event === 'challenged');
      await device.waitFor((event) => event.event === 'authenticated');
      assert.match(String(server.received.find((request) => request.path === '/repo/x')?.headers.authorization), /nc=00000002/);
      assert.match(String(server.packages()[1].headers.authorization), /nc=00000003/);
    });
  }

  it('a wrong secret ends the session as auth-failed (Basic and Digest)', async () => {
    for (const auth of ['basic', 'digest'] as const) {
      const { device } = await setUp({ auth: { scheme: auth, user: 'dev', secret: 'pw' } }, { user: 'dev', secret: 'pw', auth });
      device.faults.wrongSecret = true;
      const outcome = await device.openSession();
      assert.equal(outcome.result, 'auth-failed', auth);
    }
  });

  it('EXEC with a ServerURI: 202 now, the Generic Alert later in a new session posted to that ServerURI', async () => {
    const { server, device } = await setUp({}, { exec: { asyncDelayMs: 20 } });
    server.queue(['HGET', `${server.origin}/repo/url`, `${FUMO}DownloadAndUpdate/PkgURL`], ['EXEC', `${FUMO}DownloadAndUpdate`, `${server.origin}/dm2/report/7`]);
    server.repository.set('/repo/url', { body: JSON.stringify([{ MOData: { PkgURL: 'http://127.0.0.1:1/fw.bin' } }]) });
    assert.equal((await device.openSession()).result, 'completed');
    assert.deepEqual(codes(package3s(server)[0]), [200, 202]);
    const report = await server.waitFor((request) => request.path === '/dm2/report/7');
    const alerts = (report.json as Package1).Alert;
    assert.equal(alerts[0].AlertType, 'urn:oma:at:dm:2.0:ClientInitiatedMgmt');
    assert.deepEqual(alerts[1], {
      AlertType: 'org.openmobilealliance.dm.firmwareupdate.downloadandupdate', SourceURI: `${MOID.fumo}/1/DownloadAndUpdate`, Mark: 'informational', DataType: 'int', Data: { DM1x: 200 },
    });
    await device.waitFor((event) => event.event === 'generic-alert-delivered');
    assert.equal(device.pendingAlerts.length, 0);
    assert.equal(device.value('./DevInfo/FwV'), '2.0.0');
    assert.equal(device.value('./FUMO/State'), '100');
  });

  it('reboot with a ServerURI also reports asynchronously; without one it answers 200 at once', async () => {
    const { server, device } = await setUp({}, { exec: { asyncDelayMs: 10 } });
    const reboot = `${MOID.lawmo}//Ext/Operations/Reboot`;
    server.queue(['EXEC', reboot], ['EXEC', reboot, `${server.origin}/dm2/r`]);
    await device.openSession();
    assert.deepEqual(codes(package3s(server)[0]), [200, 202]);
    const report = await server.waitFor((request) => request.path === '/dm2/r');
    assert.deepEqual((report.json as Package1).Alert[1], { AlertType: 'urn:oma:at:lawmo:1.0:OperationComplete', SourceURI: `${MOID.lawmo}/1/Ext/Operations/Reboot`, DataType: 'int', Data: { DM1x: 200 } });
  });

  it('CONT sends this and every following package 3 to the new URI', async () => {
    const { server, device } = await setUp();
    server.queue(['GET', `${FUMO}State`], ['CONT', `${server.url}/elsewhere`]);
    server.queue(['GET', `${FUMO}PkgVersion`]);
    assert.equal((await device.openSession()).result, 'completed');
    assert.deepEqual(server.packages().map((request) => request.path), ['/dm2', '/dm2/elsewhere', '/dm2/elsewhere']);
    assert.deepEqual(package3s(server).map(codes), [[200, 200], [200]]);
  });

  it('SUB reports changes of the subtree with HTTP PUT; UNSUB stops it; an unknown UNSUB is 404', async () => {
    const { server, device } = await setUp({}, { exec: { fumo: 'sync' } });
    server.repository.set('/repo/url', { body: JSON.stringify([{ MOData: { PkgURL: 'http://127.0.0.1:1/fw.bin' } }]) });
    server.queue(['SUB', `${FUMO}State`, `${server.origin}/repo/sub/state`], ['UNSUB', `${DEVINFO}Man`], ['HGET', `${server.origin}/repo/url`, `${FUMO}DownloadAndUpdate/PkgURL`], ['EXEC', `${FUMO}DownloadAndUpdate`]);
    await device.openSession();
    assert.deepEqual(codes(package3s(server)[0]), [200, 404, 200, 200]);
    const put = await server.waitFor((request) => request.path === '/repo/sub/state');
    assert.equal(put.method, 'PUT');
    assert.deepEqual((put.json as MoDataEntry[])[0].MOData, { State: '100' });
    assert.equal(server.uploads().filter((request) => request.path === '/repo/sub/state').length, 1, 'the PkgURL change is outside the subscribed subtree');
    server.queue(['UNSUB', `${FUMO}State`]);
    await device.openSession();
    device.setValue('./FUMO/State', '10');
    await device.waitFor((event) => event.event === 'command' && event.cmd === 'UNSUB' && event.status === 200);
    assert.equal(server.uploads().filter((request) => request.path === '/repo/sub/state').length, 1);
  });

  it('fault switches: forced statuses, failing ServerURIs (419), a repository refusing JSON (406), a device going silent', async () => {
    const { server, device } = await setUp();
    server.repository.set('/repo/ok', { body: JSON.stringify([{ MOData: { PkgName: 'n' } }]) });
    server.uploadAnswers.set('/repo/xml-only', { status: 415, headers: { 'omadm-accept': 'application/vnd.syncml.dmtnds+xml' } });
    device.faults.forceStatus(`${FUMO}State`, 503, { cmd: 'GET' });
    device.faults.forceStatus((command) => command.cmd === 'DELETE', 500, { times: Infinity });
    server.queue(
      ['GET', `${FUMO}State`], ['GET', `${FUMO}State`], ['DELETE', `${SCOMO}Download`], ['HPUT', `${server.origin}/repo/xml-only`, `${FUMO}State`], ['HPOST', `${server.origin}/repo/gone`, `${FUMO}State`],
    );
    server.uploadAnswers.set('/repo/gone', { status: 500 });
    await device.openSession();
    assert.deepEqual(codes(package3s(server)[0]), [503, 200, 500, 406, 419]);

    device.faults.serverUriFails = true;
    server.queue(['HGET', `${server.origin}/repo/ok`, `${FUMO}PkgName`], ['HPUT', `${server.origin}/repo/ok2`, `${FUMO}State`]);
    await device.openSession();
    assert.deepEqual(codes(server.packages().at(-1)!.json as Package3), [419, 419]);
    assert.equal(device.value('./FUMO/PkgName'), 'dm-sim-firmware', 'nothing stored');

    device.faults.clear();
    device.faults.dropAfterMessages = 1;
    server.queue(['GET', `${FUMO}State`]);
    const dropped = await device.openSession();
    assert.equal(dropped.result, 'dropped');
    assert.equal(dropped.messages, 1);
  });

  it('HGET all or nothing: an ACL refusal (403) or data for another node (400) leaves the tree as it was', async () => {
    const { server, device } = await setUp();
    server.repository.set('/repo/two', { body: JSON.stringify([{ ClientURI: `${FUMO}PkgName`, MOData: { PkgName: 'changed' } }, { ClientURI: `${DEVINFO}Man`, MOData: { Man: 'x' } }]) });
    server.repository.set('/repo/other', { body: JSON.stringify([{ MOData: { PkgVersion: '9' } }]) });
    server.repository.set('/repo/broken', { body: '[{"MOData": ' });
    server.queue(['HGET', `${server.origin}/repo/two`], ['HGET', `${server.origin}/repo/other`, `${FUMO}PkgName`], ['HGET', `${server.origin}/repo/broken`, `${FUMO}PkgName`]);
    await device.openSession();
    assert.deepEqual(codes(package3s(server)[0]), [403, 400, 400]);
    assert.equal(device.value('./FUMO/PkgName'), 'dm-sim-firmware');
  });

  it('a package 2 that is no JSON, or comes with another media type, fails the session', async () => {
    const { server, device } = await setUp({ package2Type: 'application/json' });
    const outcome = await device.openSession();
    assert.equal(outcome.result, 'failed');
    assert.match(outcome.reason ?? '', /application\/vnd\.oma\.dm\.request\+json/);
    void server;
  });

  it('package 0 on the notification port opens a server-initiated session with its NOTIFICATION-ID', async () => {
    const { server, device } = await setUp();
    const port = await device.listenForNotifications(0);
    const refused = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: new Uint8Array([0x10, 0x80, 0xff]) });
    assert.equal(refused.status, 400);
    const package0 = encodeDm2Package0({ version: 1, serverId: 'dm-proxy', notificationId: 4242, digest: Buffer.alloc(32, 7), reqMos: true });
    const accepted = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: new Uint8Array(package0) });
    assert.equal(accepted.status, 200);
    const notified = await device.waitFor((event) => event.event === 'notification');
    assert.equal(notified.notificationId, 4242);
    assert.equal(notified.digestChecked, false);
    const package1 = await server.waitFor((request) => request.path === '/dm2');
    assert.deepEqual((package1.json as Package1).Alert[0], { AlertType: 'urn:oma:at:dm:2.0:ServerInitiatedMgmt', Data: { 'NOTIFICATION-ID': 4242 } });
    const wrongServer = encodeDm2Package0({ serverId: 'someone-else', notificationId: 1 });
    assert.equal((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: new Uint8Array(wrongServer) })).status, 400);
  });
});
