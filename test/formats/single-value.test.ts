import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContentFormat, decodeContent, encodeContent } from '../../src/lwm2m/formats/index.js';
import { Lwm2mDecodeError, Lwm2mEncodeError, type Lwm2mPath, type Lwm2mValue, type ResourceType } from '../../src/lwm2m/formats/model.js';
import { hex } from './fixtures.js';

const PATH: Lwm2mPath = [31024, 0, 1];
const typed = (type: ResourceType | undefined) => () => type;
const decodeAs = (format: number, payload: Buffer, type: ResourceType | undefined, path = PATH) => decodeContent(format, payload, path, typed(type));
const encodeAs = (format: number, value: Lwm2mValue, type: ResourceType | undefined, path = PATH) =>
  encodeContent(format, [{ path, value }], path, typed(type));
const decodeError = (message: RegExp) => (error: unknown) => error instanceof Lwm2mDecodeError && message.test(error.message);
const encodeError = (message: RegExp) => (error: unknown) => error instanceof Lwm2mEncodeError && message.test(error.message);

describe('plain text (0 and 1541)', () => {
  const cases: [string, ResourceType | undefined, Lwm2mValue][] = [
    ['Open Mobile Alliance', 'string', 'Open Mobile Alliance'],
    ['100', 'integer', 100],
    ['-5', 'integer', -5],
    ['+7', 'integer', 7],
    ['9223372036854775807', 'integer', 2n ** 63n - 1n],
    ['-9223372036854775808', 'integer', -(2n ** 63n)],
    ['18446744073709551615', 'unsigned', 2n ** 64n - 1n],
    ['1367491215', 'time', 1367491215],
    ['1.5', 'float', 1.5],
    ['-0.25e3', 'float', -250],
    ['.5', 'float', 0.5],
    ['1', 'boolean', true],
    ['0', 'boolean', false],
    ['true', 'boolean', true],
    ['3:0', 'objlnk', { objectId: 3, instanceId: 0 }],
    ['65535:65535', 'objlnk', { objectId: 65535, instanceId: 65535 }],
    ['AP8Q', 'opaque', hex('00 ff 10')],
    ['</3/0>', 'corelnk', '</3/0>'],
    ['12', undefined, '12'],
    ['', 'string', ''],
  ];
  for (const [text, type, expected] of cases) {
    it(`${type ?? 'unknown'} ${JSON.stringify(text)}`, () => {
      assert.deepEqual(decodeAs(ContentFormat.TEXT, Buffer.from(text), type), [{ path: PATH, value: expected }]);
      assert.deepEqual(decodeAs(ContentFormat.OLD_TEXT, Buffer.from(text), type), [{ path: PATH, value: expected }]);
    });
  }

  const malformed: [string, ResourceType | undefined, RegExp][] = [
    ['abc', 'integer', /"abc" is not a valid integer/],
    ['1.0', 'integer', /not a valid integer/],
    ['', 'integer', /not a valid integer/],
    ['9223372036854775808', 'integer', /out of range/],
    ['-1', 'unsigned', /out of range/],
    ['1.2.3', 'float', /not a valid float/],
    ['NaN', 'float', /not a valid float/],
    ['2', 'boolean', /not a valid boolean/],
    ['3', 'objlnk', /invalid object link/],
    ['3:0:1', 'objlnk', /invalid object link/],
    ['*', 'opaque', /invalid base64/],
  ];
  for (const [text, type, message] of malformed) {
    it(`rejects ${type} ${JSON.stringify(text)}`, () => assert.throws(() => decodeAs(ContentFormat.TEXT, Buffer.from(text), type), decodeError(message)));
  }

  it('rejects invalid UTF-8 and requests that do not name a resource', () => {
    assert.throws(() => decodeAs(ContentFormat.TEXT, hex('c3 28'), 'string'), decodeError(/not valid UTF-8/));
    assert.throws(() => decodeAs(ContentFormat.TEXT, Buffer.from('1'), 'integer', [3, 0]), decodeError(/\/3\/0 is not a resource path/));
  });

  it('encodes each type as LwM2M text', () => {
    const text = (value: Lwm2mValue, type: ResourceType | undefined) => encodeAs(ContentFormat.TEXT, value, type).toString();
    assert.equal(text(100, 'integer'), '100');
    assert.equal(text(2n ** 63n - 1n, 'integer'), '9223372036854775807');
    assert.equal(text(1.5, 'float'), '1.5');
    assert.equal(text(true, 'boolean'), '1');
    assert.equal(text(false, undefined), '0');
    assert.equal(text({ objectId: 3, instanceId: 0 }, 'objlnk'), '3:0');
    assert.equal(text(hex('00 ff 10'), 'opaque'), 'AP8Q');
    assert.equal(text('héllo', 'string'), 'héllo');
    assert.equal(text('', 'none'), '');
  });

  it('refuses anything but one value at the request path', () => {
    assert.throws(() => encodeContent(ContentFormat.TEXT, [], PATH, typed('string')), encodeError(/exactly one resource value, 0 given/));
    assert.throws(
      () => encodeContent(ContentFormat.TEXT, [{ path: [3, 0, 6, 0], value: 1 }], [3, 0, 6], typed('integer')),
      encodeError(/must be at the request path/),
    );
    assert.throws(() => encodeAs(ContentFormat.TEXT, 'x', 'integer'), encodeError(/not a valid integer/));
  });
});

describe('opaque (42 and 1544)', () => {
  it('decodes the raw bytes of one resource', () => {
    assert.deepEqual(decodeAs(ContentFormat.OPAQUE, hex('00 01 ff'), 'opaque'), [{ path: PATH, value: hex('00 01 ff') }]);
    assert.deepEqual(decodeAs(ContentFormat.OLD_OPAQUE, Buffer.alloc(0), undefined), [{ path: PATH, value: Buffer.alloc(0) }]);
  });

  it('copies the bytes out of the payload', () => {
    const payload = hex('01 02');
    const [{ value }] = decodeAs(ContentFormat.OPAQUE, payload, 'opaque');
    payload[0] = 9;
    assert.deepEqual(value, hex('01 02'));
  });

  it('rejects a request that does not name a resource', () => {
    assert.throws(() => decodeAs(ContentFormat.OPAQUE, hex('00'), 'opaque', [5, 0]), decodeError(/opaque carries one resource value/));
  });

  it('encodes bytes and refuses other values', () => {
    assert.deepEqual(encodeAs(ContentFormat.OPAQUE, hex('de ad'), 'opaque'), hex('de ad'));
    assert.throws(() => encodeAs(ContentFormat.OPAQUE, 'text', 'opaque'), encodeError(/only bytes of opaque resources/));
    assert.throws(() => encodeAs(ContentFormat.OPAQUE, hex('01'), 'integer'), encodeError(/only bytes of opaque resources/));
  });
});

describe('CBOR single value (60)', () => {
  const cases: [string, string, ResourceType | undefined, Lwm2mValue][] = [
    ['small unsigned', '18 64', 'integer', 100],
    ['negative', '38 45', 'integer', -70],
    ['64-bit beyond 2^53', '1b 7fffffffffffffff', 'integer', 2n ** 63n - 1n],
    ['64-bit encoding of 5', '1b 0000000000000005', 'unsigned', 5],
    ['half float', 'f9 3e00', 'float', 1.5],
    ['integer for a float resource', '05', 'float', 5],
    ['boolean', 'f5', 'boolean', true],
    ['text', '64 41434d45', 'string', 'ACME'],
    ['bytes', '42 00ff', 'opaque', hex('00 ff')],
    ['object link as text', '63 333a30', 'objlnk', { objectId: 3, instanceId: 0 }],
    ['time as integer', '1a 5182428f', 'time', 1367491215],
    ['time as an epoch-tagged date', 'c1 1a 5182428f', 'time', 1367491215],
    ['unknown resource, integer', '18 64', undefined, 100],
    ['unknown resource, bytes', '41 01', undefined, hex('01')],
  ];
  for (const [name, payload, type, expected] of cases) {
    it(name, () => assert.deepEqual(decodeAs(ContentFormat.CBOR, hex(payload), type), [{ path: PATH, value: expected }]));
  }

  const malformed: [string, string, ResourceType | undefined, RegExp][] = [
    ['a map', 'a0', 'integer', /CBOR item of type Map is not a valid integer/],
    ['an array', '80', undefined, /CBOR item of type array/],
    ['null', 'f6', 'string', /CBOR item of type null/],
    ['text for an integer resource', '63 333a30', 'integer', /not a valid integer/],
    ['a fraction for an integer resource', 'f9 3e00', 'integer', /non-integer value 1.5/],
    ['a negative unsigned', '20', 'unsigned', /out of range/],
    ['an invalid object link', '63 333a78', 'objlnk', /invalid object link/],
    ['truncated text', '64 41', 'string', /not valid CBOR/],
    ['trailing bytes', '18 64 00', 'integer', /not valid CBOR/],
    ['empty payload', '', 'integer', /not valid CBOR/],
  ];
  for (const [name, payload, type, message] of malformed) {
    it(`rejects ${name}`, () => assert.throws(() => decodeAs(ContentFormat.CBOR, hex(payload), type), decodeError(message)));
  }

  it('encodes one value per type', () => {
    const cbor = (value: Lwm2mValue, type: ResourceType | undefined) => encodeAs(ContentFormat.CBOR, value, type).toString('hex');
    assert.equal(cbor(100, 'integer'), '1864');
    assert.equal(cbor(2n ** 63n - 1n, 'integer'), '1b7fffffffffffffff');
    assert.equal(cbor(1.5, 'float'), 'fb3ff8000000000000');
    assert.equal(cbor(true, 'boolean'), 'f5');
    assert.equal(cbor('ACME', 'string'), '6441434d45');
    assert.equal(cbor(hex('00 ff'), 'opaque'), '4200ff');
    assert.equal(cbor({ objectId: 3, instanceId: 0 }, 'objlnk'), '63333a30');
    assert.throws(() => cbor('', 'none'), encodeError(/executable/));
  });
});
