import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachDevice, oneM2M, sentSince, startProxy, wrap } from './managed-devices.js';

const CREATE = { 'Content-Type': 'application/json;ty=13' };

test('dataCollection and myCertFileCred on an LwM2M device node are held by the proxy: created, read, updated and deleted without a word to the device', async (t) => {
  const proxy = await startProxy();
  t.after(() => proxy.stop(true));
  const { device, node } = await attachDevice(proxy, { autoUpdate: false });
  t.after(() => device.close());
  const from = device.requests.length;

  const datc = { rn: 'collect', mgd: 1021, cntp: '/id-in/cse-in/meter/readings', rpsc: [{ sce: ['0 0 * * * * *'] }], meil: 900 };
  const created = await oneM2M(proxy, 'POST', node, wrap('dataCollection', datc), CREATE);
  assert.equal(created.rsc, 2001, created.dbg);
  assert.equal(created.body.cntp, datc.cntp);
  const cert = await oneM2M(proxy, 'POST', node, wrap('myCertFileCred', { rn: 'cert', mgd: 1023, suids: [40], mcff: 'application/pkix-cert', mcfc: 'MIIB' }), CREATE);
  assert.equal(cert.rsc, 2001, cert.dbg);

  const read = await oneM2M(proxy, 'GET', `${node}/collect`);
  assert.equal(read.rsc, 2000);
  assert.deepEqual(read.body.rpsc, datc.rpsc);
  assert.equal(read.body.lbl, undefined, 'held values are no staged ones');
  const xml = await proxy.request('GET', `${node}/cert`, { headers: { Accept: 'application/xml' } });
  assert.equal(xml.headers.get('x-m2m-rsc'), '2000');
  assert.match(await xml.text(), /<dcfg:nycfc[\s>][\s\S]*<mcfc>MIIB<\/mcfc>/);

  const updated = await oneM2M(proxy, 'PUT', `${node}/collect`, wrap('dataCollection', { meil: 60 }));
  assert.equal(updated.rsc, 2004, updated.dbg);
  assert.equal((await oneM2M(proxy, 'GET', `${node}/collect`)).body.meil, 60);
  assert.deepEqual(sentSince(device, from), [], 'nothing reached the device');
  const listing = await oneM2M(proxy, 'GET', `${node}?rcn=4`);
  assert.equal(listing.rsc, 2000, 'a node read with its children reads the device for its own objects only');
  assert.ok(listing.body['dcfg:datc'], 'the held child is listed');

  // a registration Update keeps what the device does not have
  assert.equal((await device.update()).code, '2.04');
  const afterListing = device.requests.length;
  assert.equal((await oneM2M(proxy, 'GET', `${node}/collect`)).rsc, 2000);
  assert.equal((await oneM2M(proxy, 'DELETE', `${node}/cert`)).rsc, 2002);
  assert.equal((await oneM2M(proxy, 'GET', `${node}/cert`)).rsc, 4004);
  assert.deepEqual(sentSince(device, afterListing), [], 'nothing reached the device');
});
