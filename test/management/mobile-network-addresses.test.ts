/**
 * mobileNetwork (`dcfg:mnwk`) as TS-0022 types it: `ipad` and `ripa` lists of m2m:ipAddress (`ip4`/`ip6`), `apna` one
 * string; read from a simulated LwM2M device's /4/0 (dual-stack /4/0/4, two APNs in /4/0/7), in JSON and in XML.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { assertWellFormedXml } from '../helpers/strict-xml.js';
import { decodeXml } from '../../src/onem2m/binding/xml-codec.js';
import type { SimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { attachDevice, oneM2M, sentSince, startProxy, wrap } from './managed-devices.js';

const CREATE_MGMT_OBJ = { 'Content-Type': 'application/json;ty=13' };
const IP_ADDRESSES = [{ ip4: '10.11.12.13' }, { ip6: '2001:db8:4::13' }];
const ROUTER_ADDRESSES = [{ ip4: '10.11.12.1' }];

describe('mobileNetwork addresses and APN over HTTP, from a simulated LwM2M device', () => {
  let proxy: TestProxy;
  let device: SimulatedDevice;
  let node: string;

  before(async () => {
    proxy = await startProxy();
    ({ device, node } = await attachDevice(proxy, { autoUpdate: false }));
  });
  after(async () => {
    device.close();
    await proxy.stop(true);
  });

  it('JSON Retrieve: ipad and ripa are lists of m2m:ipAddress, apna the first APN as one string', async () => {
    const { rsc, body } = await oneM2M(proxy, 'GET', `${node}/mobileNetwork`);
    assert.equal(rsc, 2000);
    assert.deepEqual(body.ipad, IP_ADDRESSES);
    assert.deepEqual(body.ripa, ROUTER_ADDRESSES);
    assert.equal(body.apna, 'iot.example.net');
  });

  it('XML Retrieve: one <ipad> element per address with <ip4>/<ip6> inside, decoding to the JSON shape', async () => {
    const response = await proxy.request('GET', `${node}/mobileNetwork`, { headers: { Accept: 'application/xml' } });
    assert.equal(response.headers.get('x-m2m-rsc'), '2000');
    const xml = await response.text();
    assertWellFormedXml(xml);
    assert.match(xml, /<ipad><ip4>10\.11\.12\.13<\/ip4><\/ipad><ipad><ip6>2001:db8:4::13<\/ip6><\/ipad>/);
    assert.match(xml, /<ripa><ip4>10\.11\.12\.1<\/ip4><\/ripa>/);
    assert.match(xml, /<apna>iot\.example\.net<\/apna>/);
    const decoded = (await decodeXml(xml))['dcfg:mnwk'] as Record<string, unknown>;
    assert.deepEqual(decoded.ipad, IP_ADDRESSES);
    assert.deepEqual(decoded.ripa, ROUTER_ADDRESSES);
    assert.equal(decoded.apna, 'iot.example.net');
  });

  it('a device address that is no IP address leaves ipad out and says why; the other attributes are answered', async () => {
    const addresses = device.value('/4/0/4')!;
    device.setValue('/4/0/4', new Map([[0, '10.11.12.13'], [1, 'not-an-address']]));
    try {
      const { rsc, body, headers } = await oneM2M(proxy, 'GET', `${node}/mobileNetwork`);
      assert.equal(rsc, 2000);
      assert.equal('ipad' in body, false);
      assert.deepEqual(body.ripa, ROUTER_ADDRESSES);
      assert.match(headers.get('x-m2m-vsi') ?? '', /left out: ipad \(\["10\.11\.12\.13","not-an-address"\] from resource 4 is no valid "ipad"\)/);
    } finally {
      device.setValue('/4/0/4', addresses);
    }
  });

  const INVALID: Array<[string, unknown, RegExp]> = [
    ['an IPv4 text out of range', [{ ip4: '10.0.0.256' }], /attribute "ipad\/0\/ip4" must be an IPv4 address in dotted form/],
    ['an IPv6 text in ip4', [{ ip4: '2001:db8::1' }], /"ipad\/0\/ip4" must be an IPv4 address/],
    ['an IPv4 text in ip6', [{ ip4: '10.0.0.1' }, { ip6: '10.0.0.2' }], /attribute "ipad\/1\/ip6" must be an IPv6 address/],
    ['a member with neither ip4 nor ip6', [{}], /attribute "ipad\/0" must name at least one of ip4, ip6/],
    ['a member with another field', [{ ip4: '10.0.0.1', mac: '00:11' }], /attribute "ipad\/0" has an unknown member "mac"/],
    ['a plain string (the old shape)', ['10.0.0.1'], /attribute "ipad\/0" must be object/],
    ['a string instead of a list', '10.0.0.1', /attribute "ipad" must be array/],
  ];

  for (const [what, ipad, dbg] of INVALID) {
    it(`Create and Update with ${what} in ipad answer 4000 and reach no device`, async () => {
      const from = device.requests.length;
      const created = await oneM2M(proxy, 'POST', node, wrap('mobileNetwork', { mgd: 1031, rn: 'mnwk-2', cnb: 6, ipad }), CREATE_MGMT_OBJ);
      assert.equal(created.rsc, 4000);
      assert.match(created.dbg ?? '', dbg);
      const updated = await oneM2M(proxy, 'PUT', `${node}/mobileNetwork`, wrap('mobileNetwork', { ipad }));
      assert.equal(updated.rsc, 4000);
      assert.match(updated.dbg ?? '', dbg);
      assert.deepEqual(sentSince(device, from), []);
    });
  }

  it('an XML Update with an address as text, not <ip4>, answers 4000', async () => {
    const response = await proxy.request('PUT', `${node}/mobileNetwork`, {
      body: '<dcfg:mnwk xmlns:dcfg="http://www.onem2m.org/xml/protocols/dcfg"><ripa>10.0.0.1</ripa></dcfg:mnwk>',
      headers: { 'Content-Type': 'application/xml', Accept: 'application/json' },
    });
    assert.equal(response.headers.get('x-m2m-rsc'), '4000');
    assert.match(await response.text(), /<ripa> must contain child elements, not text/);
  });

  it('an XML Update with an invalid <ip6> answers 4000 naming it', async () => {
    const response = await proxy.request('PUT', `${node}/mobileNetwork`, {
      body: '<dcfg:mnwk xmlns:dcfg="http://www.onem2m.org/xml/protocols/dcfg"><ripa><ip6>2001:db8::g</ip6></ripa></dcfg:mnwk>',
      headers: { 'Content-Type': 'application/xml', Accept: 'application/json' },
    });
    assert.equal(response.headers.get('x-m2m-rsc'), '4000');
    assert.match(await response.text(), /attribute \\"ripa\/0\/ip6\\" must be an IPv6 address/);
  });
});
