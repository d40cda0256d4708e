import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeInfo } from '../../src/core/attribute-dictionary.js';
import { RequestError } from '../../src/core/request-error.js';
import { decodeXml, encodeXml } from '../../src/onem2m/binding/xml-codec.js';
import { assertWellFormedXml } from '../helpers/strict-xml.js';

/** A dictionary of the test's own, so every kind is covered whatever the real dictionary holds. */
const DECLARED: Record<string, AttributeInfo> = {
  cnt: { short: 'cnt', long: 'count', kind: 'integer' },
  on: { short: 'on', long: 'enabled', kind: 'boolean' },
  at: { short: 'at', long: 'at', kind: 'timestamp' },
  ids: { short: 'ids', long: 'ids', kind: 'list', itemKind: 'integer' },
  tags: { short: 'tags', long: 'tags', kind: 'list', itemKind: 'string' },
  st: { short: 'st', long: 'status', kind: 'object', fields: [{ short: 'sus', long: 'status', kind: 'integer' }] },
  links: { short: 'links', long: 'links', kind: 'list', itemKind: 'object', fields: [{ short: 'typ', long: 'type', kind: 'integer' }] },
};
const lookup = (short: string) => DECLARED[short];

async function rejects(xml: string, dbg: RegExp): Promise<void> {
  await assert.rejects(decodeXml(xml, lookup), (err: unknown) => err instanceof RequestError && err.rsc === 4000 && dbg.test(err.message));
}

test('XML text is typed by the dictionary: integers, booleans, timestamps, lists, objects, lists of objects', async () => {
  const xml = `<m2m:x xmlns:m2m="http://www.onem2m.org/xml/protocols" rn="r1" cnt="7">
    <on>1</on><at> 20261123T114608 </at><ids>1 2
      3</ids><tags/><st><sus>2</sus></st>
    <links><typ>1001</typ><nm>a</nm></links><links><typ>1002</typ><nm>b</nm></links>
    <free>  kept as is </free><rep>1</rep><rep>2</rep>
  </m2m:x>`;
  assert.deepEqual(await decodeXml(xml, lookup), {
    'm2m:x': {
      rn: 'r1', cnt: 7, on: true, at: '20261123T114608', ids: [1, 2, 3], tags: [], st: { sus: 2 },
      links: [{ typ: 1001, nm: 'a' }, { typ: 1002, nm: 'b' }], free: '  kept as is ', rep: ['1', '2'],
    },
  });
  assert.deepEqual(await decodeXml('<m2m:dbg>some text</m2m:dbg>', lookup), { 'm2m:dbg': 'some text' });
  assert.deepEqual(await decodeXml('<m2m:x/>', lookup), { 'm2m:x': {} });
});

test('XML that does not fit the dictionary or the format is a 4000 saying where', async () => {
  await rejects('<m2m:x><cnt>7.5</cnt></m2m:x>', /<cnt>: "7.5" is not an integer/);
  await rejects('<m2m:x><cnt>99999999999999999999</cnt></m2m:x>', /not an integer/);
  await rejects('<m2m:x><on>yes</on></m2m:x>', /<on>: "yes" is not a boolean/);
  await rejects('<m2m:x><ids>1 two</ids></m2m:x>', /<ids>: "two" is not an integer/);
  await rejects('<m2m:x><st>2</st></m2m:x>', /<st> must contain child elements/);
  await rejects('<m2m:x><cnt><a>1</a></cnt></m2m:x>', /<cnt> must be a simple value/);
  await rejects('<m2m:x><cnt>1</cnt><cnt>2</cnt></m2m:x>', /<cnt> may appear only once/);
  await rejects('<m2m:x cnt="1"><cnt>2</cnt></m2m:x>', /"cnt" given both as XML attribute and as element/);
  await rejects('<m2m:x>text<cnt>2</cnt></m2m:x>', /<m2m:x> mixes text and child elements/);
  await rejects('<m2m:x><constructor>1</constructor></m2m:x>', /"constructor" is not allowed/);
  await rejects('<m2m:x><toString>1</toString></m2m:x>', /"toString" is not allowed/);
  await rejects('<m2m:x><a></m2m:x>', /malformed XML: .* at line 1, column \d+/);
  await rejects('', /no root element/);
});

test('JSON content serializes to oneM2M XML: rn as attribute, simple lists space-separated, objects nested', () => {
  const xml = encodeXml({
    'm2m:nod': {
      rn: 'gw 1', ri: 'nod1', ty: 14, rms: false, lbl: ['a', 'b'], empty: [], gone: null,
      'm2m:bat': [{ rn: 'battery', btl: 80 }, { rn: 'battery-2', btl: 5 }],
      cmlk: [{ nm: 'x', typ: 1 }], text: 'a < b & "c"\u0001',
    },
  });
  assertWellFormedXml(xml);
  assert.equal(xml, '<?xml version="1.0" encoding="UTF-8"?><m2m:nod xmlns:m2m="http://www.onem2m.org/xml/protocols" rn="gw 1">'
    + '<ri>nod1</ri><ty>14</ty><rms>false</rms><lbl>a b</lbl><empty/>'
    + '<m2m:bat rn="battery"><btl>80</btl></m2m:bat><m2m:bat rn="battery-2"><btl>5</btl></m2m:bat>'
    + '<cmlk><nm>x</nm><typ>1</typ></cmlk><text>a &lt; b &amp; "c"\uFFFD</text></m2m:nod>');
  assert.equal(assertWellFormedXml(encodeXml({ 'm2m:uril': ['proxy/a', 'proxy/b'] })).elements.length, 1);
  assert.equal(encodeXml({ 'm2m:uril': ['proxy/a', 'proxy/b'] }),
    '<?xml version="1.0" encoding="UTF-8"?><m2m:uril xmlns:m2m="http://www.onem2m.org/xml/protocols">proxy/a proxy/b</m2m:uril>');
  assert.throws(() => encodeXml({ a: 1, b: 2 }), /exactly one root key/);
});

test('every prefix the XML uses is declared, so a namespace-aware parser accepts it (dcfg specializations)', () => {
  const M2M = 'http://www.onem2m.org/xml/protocols';
  const DCFG = 'http://www.onem2m.org/xml/protocols/dcfg';
  for (const root of ['dcfg:mnwk', 'dcfg:wific', 'dcfg:crds', 'dcfg:sim']) {
    const { elements } = assertWellFormedXml(encodeXml({ [root]: { rn: 'x', ty: 13, mgd: 1031 } }));
    assert.deepEqual(elements[0], { name: root, uri: DCFG });
  }
  // A node listing its children (rcn=4) mixes both prefixes below the root.
  const xml = encodeXml({ 'm2m:nod': { rn: 'gw', 'dcfg:mnwk': [{ rn: 'mobileNetwork', cnb: 7 }], 'm2m:dvi': [{ rn: 'deviceInfo' }] } });
  const { elements } = assertWellFormedXml(xml);
  assert.deepEqual(elements.filter((element) => element.name.includes(':')), [
    { name: 'm2m:nod', uri: M2M }, { name: 'dcfg:mnwk', uri: DCFG }, { name: 'm2m:dvi', uri: M2M },
  ]);
  assert.throws(() => encodeXml({ 'zz:thing': { a: 1 } }), /prefix "zz" with no known namespace/);
});

test('mobileNetwork m2m:ipAddress lists (real dictionary): JSON → XML → JSON round trip, <ipad/> an empty list, text refused', async () => {
  const mnwk = { rn: 'mobileNetwork', cnb: 6, ipad: [{ ip4: '10.0.0.7' }, { ip6: '2001:db8::7' }, { ip4: '10.0.0.8', ip6: '::ffff:a00:8' }], ripa: [], apna: 'iot.example.net' };
  const xml = encodeXml({ 'dcfg:mnwk': mnwk });
  assert.match(xml, /<ipad><ip4>10\.0\.0\.7<\/ip4><\/ipad><ipad><ip6>2001:db8::7<\/ip6><\/ipad><ipad><ip4>10\.0\.0\.8<\/ip4><ip6>::ffff:a00:8<\/ip6><\/ipad>/);
  assert.deepEqual(await decodeXml(xml), { 'dcfg:mnwk': mnwk });
  const namespace = 'xmlns:dcfg="http://www.onem2m.org/xml/protocols/dcfg"';
  await assert.rejects(decodeXml(`<dcfg:mnwk ${namespace}><ipad>10.0.0.7</ipad></dcfg:mnwk>`), /<ipad> must contain child elements, not text/);
  assert.deepEqual(await decodeXml(`<dcfg:mnwk ${namespace}><ipad> <ip4> 10.0.0.7 </ip4></ipad></dcfg:mnwk>`), { 'dcfg:mnwk': { ipad: [{ ip4: '10.0.0.7' }] } });
});
