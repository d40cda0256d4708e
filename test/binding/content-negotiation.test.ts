import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeXml } from '../../src/onem2m/binding/xml-codec.js';
import { echoed, jsonOf, rawRequest, startBinding } from './binding-harness.js';

const NS = 'xmlns:m2m="http://www.onem2m.org/xml/protocols"';
const FIRMWARE_JSON = {
  'm2m:fwr': {
    rn: 'firmware', mgd: 1001, vr: '1.2.3', fwn: 'base', url: 'coap://repo.example/fw.bin', ud: false,
    uds: { acn: 'ud', sus: 0 }, lbl: ['site-a', 'rack-7'], obis: ['urn:oma:lwm2m:oma:5'], obps: ['/5/0'],
  },
};
const FIRMWARE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<m2m:fwr ${NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" rn="firmware">
  <mgd>1001</mgd><vr>1.2.3</vr><fwn>base</fwn><url>coap://repo.example/fw.bin</url><ud>false</ud>
  <uds><acn>ud</acn><sus>0</sus></uds>
  <lbl>site-a rack-7</lbl><obis>urn:oma:lwm2m:oma:5</obis><obps>/5/0</obps>
</m2m:fwr>`;

function create(contentType: string, body: string, accept?: string) {
  return { headers: { 'Content-Type': `${contentType};ty=13`, ...(accept && { Accept: accept }) }, body };
}

test('JSON and XML requests of every accepted media type reach the handler as the same typed JSON', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  for (const type of ['application/json', 'application/vnd.onem2m-res+json']) {
    const primitive = await echoed(await binding.request('POST', '/proxy/n1', create(type, JSON.stringify(FIRMWARE_JSON))));
    assert.deepEqual(primitive.pc, FIRMWARE_JSON, type);
  }
  for (const type of ['application/xml', 'application/vnd.onem2m-res+xml', 'application/xml; charset=UTF-8']) {
    const primitive = await echoed(await binding.request('POST', '/proxy/n1', create(type, FIRMWARE_XML)));
    assert.deepEqual(primitive.pc, FIRMWARE_JSON, type);
  }
});

test('the response format follows Accept, echoing the oneM2M vendor type when it was asked for', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/vnd.onem2m-res+json', 'application/vnd.onem2m-res+json'],
    ['application/xml', 'application/xml'],
    ['application/vnd.onem2m-res+xml', 'application/vnd.onem2m-res+xml'],
    ['text/html, application/xml;q=0.9, application/json;q=0.5', 'application/xml'],
    ['application/cbor', 'application/json'],
    ['text/html', 'application/json'],
  ];
  for (const [accept, expected] of cases) {
    const response = await binding.request('GET', '/proxy', { headers: accept ? { Accept: accept } : {} });
    assert.equal(response.headers.get('content-type'), expected, String(accept));
    const body = await response.text();
    if (expected.endsWith('xml')) assert.match(body, new RegExp(`^<\\?xml version="1.0" encoding="UTF-8"\\?><m2m:rqp ${NS}>`));
    else assert.ok(JSON.parse(body)['m2m:rqp']);
  }
});

test('a typed resource makes the round trip XML → handler → XML unchanged in meaning', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  binding.handler.respond = (req) => ({ rsc: 2001, rqi: req.rqi, pc: req.pc, contentLocation: 'proxy/n1/firmware' });
  const response = await binding.request('POST', '/proxy/n1', create('application/xml', FIRMWARE_XML, 'application/xml'));
  assert.equal(response.headers.get('x-m2m-rsc'), '2001');
  const xml = await response.text();
  assert.match(xml, new RegExp(`<m2m:fwr ${NS} rn="firmware">`));
  assert.match(xml, /<lbl>site-a rack-7<\/lbl>/);
  assert.match(xml, /<uds><acn>ud<\/acn><sus>0<\/sus><\/uds>/);
  assert.deepEqual(await decodeXml(xml), FIRMWARE_JSON);
});

test('errors are answered in the negotiated format with m2m:dbg', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const response = await binding.request('GET', '/proxy', { headers: { Accept: 'application/xml', 'X-M2M-RI': null, 'X-M2M-RVI': '3' } });
  assert.equal(response.headers.get('x-m2m-rsc'), '4000');
  assert.equal(response.headers.get('content-type'), 'application/xml');
  assert.match(await response.text(), new RegExp(`<m2m:dbg ${NS}>missing mandatory header X-M2M-RI</m2m:dbg>`));
});

test('content that cannot be read gets 4000 or 4015 with what is wrong, and the handler sees nothing', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const cases: Array<[string, { headers: Record<string, string>; body?: string }, string, RegExp]> = [
    ['unsupported media type', { headers: { 'Content-Type': 'text/plain;ty=14' }, body: 'ni=x' }, '4015', /unsupported Content-Type "text\/plain"/],
    ['form post', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=b' }, '4015', /unsupported Content-Type/],
    ['charset', { headers: { 'Content-Type': 'application/json;charset=iso-8859-1;ty=14' }, body: '{}' }, '4015', /charset "iso-8859-1"/],
    ['empty create', { headers: { 'Content-Type': 'application/json;ty=14' } }, '4000', /content required: Create/],
    ['empty notify', { headers: { 'Content-Type': 'application/json' } }, '4000', /content required: Notify/],
    ['malformed JSON', { headers: { 'Content-Type': 'application/json;ty=14' }, body: '{"m2m:nod": {"ni": "x",}}' }, '4000', /malformed JSON: .*position 23/],
    ['JSON array', { headers: { 'Content-Type': 'application/json;ty=14' }, body: '[{"m2m:nod":{}}]' }, '4000', /content must be an object/],
    ['JSON scalar', { headers: { 'Content-Type': 'application/json;ty=14' }, body: '42' }, '4000', /content must be an object/],
    ['deep JSON', { headers: { 'Content-Type': 'application/json;ty=14' }, body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` }, '4000', /nested deeper than 32/],
    ['malformed XML', { headers: { 'Content-Type': 'application/xml;ty=14' }, body: `<m2m:nod ${NS}>\n<ni>x</nid>\n</m2m:nod>` }, '4000', /malformed XML: .*line 2, column \d+/],
    ['truncated XML', { headers: { 'Content-Type': 'application/xml;ty=14' }, body: '<m2m:nod><ni>x</ni>' }, '4000', /malformed XML/],
    ['XML text', { headers: { 'Content-Type': 'application/xml;ty=14' }, body: 'not xml at all' }, '4000', /malformed XML/],
    ['wrong XML type', { headers: { 'Content-Type': 'application/xml;ty=13' }, body: '<m2m:mem><mma>lots</mma></m2m:mem>' }, '4000', /<mma>: "lots" is not an integer/],
    ['prototype name', { headers: { 'Content-Type': 'application/xml;ty=14' }, body: '<m2m:nod><__proto__><ni>x</ni></__proto__></m2m:nod>' }, '4000', /"__proto__" is not allowed/],
    ['deep XML', { headers: { 'Content-Type': 'application/xml;ty=14' }, body: `<m2m:nod>${'<a>'.repeat(200)}${'</a>'.repeat(200)}</m2m:nod>` }, '4000', /nested deeper than 32/],
  ];
  for (const [name, request, rsc, dbg] of cases) {
    const response = await binding.request('POST', '/proxy', request);
    assert.equal(response.headers.get('x-m2m-rsc'), rsc, name);
    assert.equal(response.status, rsc === '4015' ? 415 : 400, name);
    assert.match((await jsonOf(response))['m2m:dbg'], dbg, name);
  }
  assert.equal(binding.handler.received.length, 0);
});

test('XML with a DOCTYPE is refused: no entity is ever declared, expanded or fetched', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const billionLaughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${
    Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><m2m:nod><ni>&lol9;</ni></m2m:nod>`;
  const external = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><m2m:nod><ni>&xxe;</ni></m2m:nod>';
  const lowercase = '<!doctype m2m:nod><m2m:nod><ni>x</ni></m2m:nod>';
  for (const body of [billionLaughs, external, lowercase]) {
    const response = await binding.request('POST', '/proxy', { headers: { 'Content-Type': 'application/xml;ty=14' }, body });
    assert.equal(response.headers.get('x-m2m-rsc'), '4000');
    assert.match((await jsonOf(response))['m2m:dbg'], /DOCTYPE is not allowed/);
  }
  // An undeclared entity is an error, never an expansion.
  const undeclared = await binding.request('POST', '/proxy', { headers: { 'Content-Type': 'application/xml;ty=14' }, body: '<m2m:nod><ni>&xxe;</ni></m2m:nod>' });
  assert.match((await jsonOf(undeclared))['m2m:dbg'], /malformed XML: Invalid character entity/);
  assert.equal(binding.handler.received.length, 0);
});

test('a body over BODY_LIMIT_BYTES gets 4000 (HTTP 400) with X-M2M-RSC, also when compressed', async (t) => {
  const binding = await startBinding({ env: { BODY_LIMIT_BYTES: '1024' } });
  t.after(() => binding.close());
  const huge = JSON.stringify({ 'm2m:nod': { ni: 'x'.repeat(4 * 1024 * 1024) } });
  const response = await binding.request('POST', '/proxy', { headers: { 'Content-Type': 'application/json;ty=14', 'X-M2M-RI': 'big' }, body: huge });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('x-m2m-rsc'), '4000');
  assert.equal(response.headers.get('x-m2m-ri'), 'big');
  assert.match((await jsonOf(response))['m2m:dbg'], /larger than the limit of 1024 bytes/);

  const zipped = await rawRequest(binding.server.port, {
    method: 'POST', path: '/proxy', body: gzipSync(huge),
    headers: { 'Content-Type': 'application/json;ty=14', 'Content-Encoding': 'gzip', 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'zip' },
  });
  assert.equal(zipped.headers['x-m2m-rsc'], '4000');
  assert.match(JSON.parse(zipped.body)['m2m:dbg'], /larger than the limit/);

  const unknownEncoding = await rawRequest(binding.server.port, {
    method: 'POST', path: '/proxy', body: 'xx',
    headers: { 'Content-Type': 'application/json;ty=14', 'Content-Encoding': 'snappy', 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'enc' },
  });
  assert.equal(unknownEncoding.headers['x-m2m-rsc'], '4015');
  assert.equal(binding.handler.received.length, 0);

  const small = await binding.request('POST', '/proxy', { headers: { 'Content-Type': 'application/json;ty=14' }, body: '{"m2m:nod":{"ni":"x"}}' });
  assert.equal(small.headers.get('x-m2m-rsc'), '2000');
});

test('garbage bytes get 4000 and the server keeps serving', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28, 0x80, 0x81, 0x5c, 0x22]);
  for (const type of ['application/json;ty=14', 'application/xml;ty=14']) {
    const response = await rawRequest(binding.server.port, {
      method: 'POST', path: '/proxy', body: garbage, headers: { 'Content-Type': type, 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'g' },
    });
    assert.equal(response.headers['x-m2m-rsc'], '4000', type);
    assert.match(JSON.parse(response.body)['m2m:dbg'], /not valid UTF-8/);
  }
  const ok = await binding.request('GET', '/proxy');
  assert.equal(ok.headers.get('x-m2m-rsc'), '2000');
});
