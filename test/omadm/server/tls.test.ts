import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { StartupError } from '../../../src/core/startup-error.js';
import { SYNCML_DM_XML, decodeSyncml, encodeSyncml } from '../../../src/omadm/v13/codec/index.js';
import { loadOmadmSettings } from '../../../src/omadm/settings.js';
import { httpPost } from '../../../src/sim/common/http-post.js';
import { SimulatorProcess } from '../../cli/simulator-process.js';
import { NO_OPENSSL, makeTestCertificate } from '../../helpers/test-certificate.js';
import type { TestProxy } from '../../helpers/proxy-harness.js';
import { PATIENT, oneM2M, throughSession } from '../adapter/dm-adapter-kit.js';
import { CREDENTIALS, device, enrol, message, proxyWithOmadm } from './dm-test-kit.js';

const skip = NO_OPENSSL ?? false;

const httpsUrl = (proxy: TestProxy, path = '/dm') => `https://127.0.0.1:${proxy.listeners['omadm-http'].port}${path}`;

async function tlsProxy(t: { after(fn: () => unknown): void }) {
  const certificate = await makeTestCertificate(t);
  const dm = await proxyWithOmadm({ DM_TLS_CERT: certificate.certFile, DM_TLS_KEY: certificate.keyFile });
  t.after(() => dm.proxy.stop(true));
  return { ...dm, ca: certificate.cert, caFile: certificate.certFile };
}

test('with DM_TLS_CERT and DM_TLS_KEY a DM 1.3 device has its sessions over https and a oneM2M Retrieve reaches it', { skip }, async (t) => {
  const { proxy, omadm, ca } = await tlsProxy(t);
  const devId = 'IMEI:tls-1';
  await enrol(proxy, devId);
  const sim = device(t, proxy, { devId, version: '1.3', server: httpsUrl(proxy), ca });
  const first = await sim.openSession();
  assert.equal(first.result, 'completed', first.reason);
  sim.setValue('./DiagMon/Memory/Avail', '4321', 'int');
  const memory = await throughSession({ proxy, omadm, sim }, devId, () => oneM2M(proxy, 'GET', `/proxy/${devId}/memory`, undefined, PATIENT));
  assert.equal(memory.rsc, 2000, memory.dbg);
  assert.equal(memory.body.mma, 4321);
  const started = sim.events.filter((event) => event.event === 'session-started').map((event) => event.server);
  assert.deepEqual(started, [httpsUrl(proxy), httpsUrl(proxy)]);

  const health = (await (await fetch(proxy.url('/healthz'))).json()) as { listeners: Record<string, boolean>; modules: { omadm: { tls: boolean } } };
  assert.equal(health.listeners['omadm-http'], true);
  assert.equal(health.modules.omadm.tls, true);
});

test('the RespURI the proxy gives over https is https, on the port and path the device used', { skip }, async (t) => {
  const { proxy, ca } = await tlsProxy(t);
  await enrol(proxy, 'IMEI:tls-2');
  const url = httpsUrl(proxy);
  const sent = message('IMEI:tls-2', 1, [{ kind: 'Alert', cmdId: '1', data: 1201, items: [] }], false, true, url);
  const answer = await httpPost(url, { headers: { 'content-type': SYNCML_DM_XML }, body: Buffer.from(encodeSyncml(sent)), signal: AbortSignal.timeout(10_000), ca });
  assert.equal(answer.status, 200);
  const respUri = decodeSyncml(answer.body).header.respUri ?? '';
  assert.match(respUri, new RegExp(`^${url.replace(/[.?]/g, '\\$&')}\\?s=`));
});

test('plain http on the TLS port gets no DM answer, and a device that does not trust the certificate is not served', { skip }, async (t) => {
  const { proxy, ca } = await tlsProxy(t);
  const plain = httpsUrl(proxy).replace('https:', 'http:');
  await assert.rejects(
    httpPost(plain, { headers: { 'content-type': SYNCML_DM_XML }, body: Buffer.from('<SyncML/>'), signal: AbortSignal.timeout(10_000) }),
    (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET' || error.code === 'EPIPE',
  );

  await enrol(proxy, 'IMEI:tls-3');
  const untrusting = device(t, proxy, { devId: 'IMEI:tls-3', version: '1.3', server: httpsUrl(proxy) });
  const refused = await untrusting.openSession();
  assert.equal(refused.result, 'unreachable');
  assert.match(refused.reason ?? '', /SELF_SIGNED/);

  const trusting = device(t, proxy, { devId: 'IMEI:tls-3', version: '1.3', server: httpsUrl(proxy), ca });
  assert.equal((await trusting.openSession()).result, 'completed', 'the listener still serves after both');
});

test('`dm-proxy simulate omadm --ca <file>` trusts the proxy\'s certificate and has its session over https', { skip }, async (t) => {
  const { proxy, caFile } = await tlsProxy(t);
  await enrol(proxy, 'IMEI:tls-cli');
  const { user, secret } = CREDENTIALS.client;
  const simulator = new SimulatorProcess(['omadm', '--devid', 'IMEI:tls-cli', '--server', httpsUrl(proxy), '--ca', caFile, '--version', '1.3', '--user', user, '--secret', secret]);
  t.after(() => simulator.kill());
  const ended = await simulator.waitFor((line) => line.event === 'session-ended', 'session-ended line');
  assert.equal(ended.result, 'completed', JSON.stringify(ended));
  assert.equal(await simulator.stop('SIGINT'), 0);
});

test('DM_TLS_CERT and DM_TLS_KEY go together, must be readable PEM and must match; the StartupError names the setting', { skip }, async (t) => {
  const one = await makeTestCertificate(t);
  const other = await makeTestCertificate(t);
  const notPem = join(dirname(one.certFile), 'not-pem.txt');
  writeFileSync(notPem, 'hello\n');
  const refused = (env: Record<string, string>, setting: string, reason: RegExp) =>
    assert.throws(() => loadOmadmSettings(env), (error: unknown) => {
      assert.ok(error instanceof StartupError, String(error));
      assert.equal(error.fields.setting, setting, error.message);
      assert.ok(error.message.startsWith(setting), error.message);
      assert.match(error.message, reason);
      return true;
    });

  refused({ DM_TLS_CERT: one.certFile }, 'DM_TLS_KEY', /needs both DM_TLS_CERT and DM_TLS_KEY/);
  refused({ DM_TLS_KEY: one.keyFile }, 'DM_TLS_CERT', /needs both/);
  refused({ DM_TLS_CERT: '/nonexistent/cert.pem', DM_TLS_KEY: one.keyFile }, 'DM_TLS_CERT', /cannot be read \(ENOENT\)/);
  refused({ DM_TLS_CERT: one.certFile, DM_TLS_KEY: '/nonexistent/key.pem' }, 'DM_TLS_KEY', /cannot be read \(ENOENT\)/);
  refused({ DM_TLS_CERT: dirname(one.certFile), DM_TLS_KEY: one.keyFile }, 'DM_TLS_CERT', /cannot be read \(EISDIR\)/);
  refused({ DM_TLS_CERT: notPem, DM_TLS_KEY: one.keyFile }, 'DM_TLS_CERT', /not a PEM certificate/);
  refused({ DM_TLS_CERT: one.keyFile, DM_TLS_KEY: one.keyFile }, 'DM_TLS_CERT', /not a PEM certificate/);
  refused({ DM_TLS_CERT: one.certFile, DM_TLS_KEY: notPem }, 'DM_TLS_KEY', /not a PEM private key/);
  refused({ DM_TLS_CERT: one.certFile, DM_TLS_KEY: one.certFile }, 'DM_TLS_KEY', /not a PEM private key/);
  refused({ DM_TLS_CERT: one.certFile, DM_TLS_KEY: other.keyFile }, 'DM_TLS_KEY', /does not match the certificate/);

  assert.equal(loadOmadmSettings({}).tls, undefined, 'neither set: plain http');
  assert.ok(loadOmadmSettings({ DM_TLS_CERT: one.certFile, DM_TLS_KEY: one.keyFile }).tls);
});
