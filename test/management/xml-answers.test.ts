import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeXml } from '../../src/onem2m/binding/xml-codec.js';
import { assertWellFormedXml } from '../helpers/strict-xml.js';
import { attachDevice, startProxy } from './managed-devices.js';

const DCFG = 'http://www.onem2m.org/xml/protocols/dcfg';
const M2M = 'http://www.onem2m.org/xml/protocols';

test('XML answers for a dcfg specialization and for a node listing it bind every prefix they use', async (t) => {
  const proxy = await startProxy();
  t.after(() => proxy.stop(true));
  const { device, node } = await attachDevice(proxy, { autoUpdate: false });
  t.after(() => device.close());

  const retrieve = await proxy.request('GET', `${node}/mobileNetwork`, { headers: { Accept: 'application/xml' } });
  assert.equal(retrieve.headers.get('x-m2m-rsc'), '2000');
  const xml = await retrieve.text();
  assert.deepEqual(assertWellFormedXml(xml).elements[0], { name: 'dcfg:mnwk', uri: DCFG });
  assert.equal(((await decodeXml(xml))['dcfg:mnwk'] as { cnb: number }).cnb, 6);

  const children = await proxy.request('GET', `${node}?rcn=4`, { headers: { Accept: 'application/xml' } });
  assert.equal(children.headers.get('x-m2m-rsc'), '2000');
  const uris = new Map(assertWellFormedXml(await children.text()).elements.map((element) => [element.name, element.uri]));
  assert.equal(uris.get('m2m:nod'), M2M);
  assert.equal(uris.get('dcfg:mnwk'), DCFG);
});
