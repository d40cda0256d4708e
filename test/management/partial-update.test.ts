import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContentFormat } from '../../src/lwm2m/formats/index.js';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { attachDevice, oneM2M, startProxy, wrap } from './managed-devices.js';

const SHIPPED = new URL('../../../mappings', import.meta.url).pathname;
const SYST_ROW = '      - { attribute: syst, resources: [13], access: RW, converter: lwm2mTimeToTimestamp } # Current Time\n';

/** The shipped tables plus a second writable deviceInfo attribute (location → Timezone), as an integrator might add. */
function mappingsWithTwoWritableAttributes(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dm-proxy-mappings-'));
  cpSync(SHIPPED, dir, { recursive: true });
  const file = join(dir, 'objects', 'lwm2m.yaml');
  const table = readFileSync(file, 'utf8');
  assert.ok(table.includes(SYST_ROW), 'the deviceInfo syst row this test extends is still shipped');
  writeFileSync(file, table.replace(SYST_ROW, `${SYST_ROW}      - { attribute: loc, resources: [15], access: RW }\n`));
  return dir;
}

describe('Update of several writable attributes: one partial-update POST on the instance', () => {
  let proxy: TestProxy;
  let mappingsDir: string;
  const changes = wrap('deviceInfo', { syst: '20250102T030405', loc: 'Europe/Paris' });

  before(async () => {
    mappingsDir = mappingsWithTwoWritableAttributes();
    proxy = await startProxy({ MAPPINGS_DIR: mappingsDir });
  });
  after(async () => {
    await proxy.stop(true);
    rmSync(mappingsDir, { recursive: true, force: true });
  });

  it('sends the values in the negotiated multi-value format', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false });
    try {
      const answer = await oneM2M(proxy, 'PUT', `${node}/deviceInfo`, changes);
      assert.equal(answer.rsc, 2004, answer.dbg);
      assert.deepEqual(device.requests.map((request) => [request.method, request.path, request.contentFormat]), [['POST', '/3/0', ContentFormat.SENML_CBOR]]);
      assert.equal(device.value('/3/0/15'), 'Europe/Paris');
      assert.equal((await oneM2M(proxy, 'GET', `${node}/deviceInfo?atrl=loc`)).body.loc, 'Europe/Paris');
    } finally {
      device.close();
    }
  });

  it('moves to the next format when the device answers 4.15', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false, formats: [ContentFormat.TEXT, ContentFormat.OPAQUE, ContentFormat.SENML_JSON] });
    try {
      const answer = await oneM2M(proxy, 'PUT', `${node}/deviceInfo`, changes);
      assert.equal(answer.rsc, 2004, answer.dbg);
      assert.deepEqual(device.requests.map((request) => [request.path, request.contentFormat]), [
        ['/3/0', ContentFormat.SENML_CBOR],
        ['/3/0', ContentFormat.SENML_JSON],
      ]);
      assert.equal(device.requests[0].method, 'POST');
    } finally {
      device.close();
    }
  });

  it('a text-only client that ignores the POST gets one PUT per resource in text', async () => {
    const { device, node } = await attachDevice(proxy, { version: '1.0', autoUpdate: false, quirks: { textOnly: true } });
    try {
      const answer = await oneM2M(proxy, 'PUT', `${node}/deviceInfo`, changes);
      assert.equal(answer.rsc, 2004, answer.dbg);
      assert.deepEqual(device.requests.map((request) => `${request.method} ${request.path} ${request.contentFormat}`), [
        `POST /3/0 ${ContentFormat.TLV}`,
        `PUT /3/0/13 ${ContentFormat.TEXT}`,
        `PUT /3/0/15 ${ContentFormat.TEXT}`,
      ]);
      assert.equal(device.value('/3/0/15'), 'Europe/Paris');
    } finally {
      device.close();
    }
  });
});
