import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LinkFormatError,
  contentFormats,
  objectVersion,
  parseLinkFormat,
  resourceTypes,
  serializeLinkFormat,
  type Link,
} from '../../src/lwm2m/formats/link-format.js';

test('parses targets, bare attributes, tokens and quoted strings with escapes', () => {
  const links = parseLinkFormat('</>;rt="oma.lwm2m";ct=110,</1/0>, </3>;ver=1.1 ,</3/0>;obs;title="a \\"quoted\\", b";ct="60 110"');
  assert.deepEqual(links, [
    { target: '/', attributes: { rt: 'oma.lwm2m', ct: '110' } },
    { target: '/1/0', attributes: {} },
    { target: '/3', attributes: { ver: '1.1' } },
    { target: '/3/0', attributes: { obs: true, title: 'a "quoted", b', ct: '60 110' } },
  ]);
  assert.deepEqual(resourceTypes(links[0]), ['oma.lwm2m']);
  assert.deepEqual(contentFormats(links[0]), [110]);
  assert.deepEqual(contentFormats(links[3]), [60, 110]);
  assert.equal(objectVersion(links[2]), '1.1');
  assert.equal(objectVersion(links[1]), undefined);
  assert.deepEqual(parseLinkFormat(''), []);
  assert.deepEqual(parseLinkFormat('  \n'), []);
});

test('a repeated attribute keeps its first value and "__proto__" is just a name', () => {
  const [link] = parseLinkFormat('</3/0>;ver=1.0;ver=2.0;__proto__=x');
  assert.equal(link.attributes.ver, '1.0');
  assert.equal(Object.getPrototypeOf(link.attributes), Object.prototype);
  assert.equal(Object.hasOwn(link.attributes, '__proto__'), true);
});

test('serializes with quotes where RFC 6690 needs them and round-trips', () => {
  const links: Link[] = [
    { target: '/', attributes: { rt: 'oma.lwm2m', ct: '110' } },
    { target: '/0/0', attributes: { uri: 'coap://[::1]:5685', ssid: '101' } },
    { target: '/3/0', attributes: { obs: true, title: 'say "hi", ok' } },
  ];
  const text = serializeLinkFormat(links);
  assert.equal(text, '</>;rt="oma.lwm2m";ct=110,</0/0>;uri=coap://[::1]:5685;ssid=101,</3/0>;obs;title="say \\"hi\\", ok"');
  assert.deepEqual(parseLinkFormat(text), links);
});

test('malformed documents raise LinkFormatError, never anything else', () => {
  const bad = ['</3/0', '3/0', '</3/0>;', '</3/0>;=1', '</3/0>;ver="1.1', '</3/0>,', '</3/0> </5/0>', '</3 0>', '</3/0>;title=a b', '</3/0>;ver=1.1;', '<>>', '</a>;x="\\'];
  for (const text of bad) assert.throws(() => parseLinkFormat(text), LinkFormatError, text);
  assert.throws(() => contentFormats(parseLinkFormat('</>;ct=json')[0]), LinkFormatError);
  assert.throws(() => contentFormats(parseLinkFormat('</>;ct=70000')[0]), LinkFormatError);
  assert.throws(() => objectVersion(parseLinkFormat('</3>;ver')[0]), LinkFormatError);
  assert.throws(() => objectVersion(parseLinkFormat('</3>;ver=v1')[0]), LinkFormatError);

  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = '<>/;,="\\ 019abc.*';
  for (let i = 0; i < 2000; i++) {
    const text = Array.from({ length: Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    try {
      parseLinkFormat(text);
    } catch (err) {
      assert.ok(err instanceof LinkFormatError, `${JSON.stringify(text)}: ${String(err)}`);
    }
  }
});
