import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContentFormat, decodeContent, encodeContent } from '../../src/lwm2m/formats/index.js';
import { Lwm2mDecodeError, Lwm2mEncodeError, type Lwm2mPath, type ResourceValue, type TypeResolver } from '../../src/lwm2m/formats/model.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';
import { concat, DEVICE_TLV, DEVICE_VALUES, hex } from './fixtures.js';

const decode = (payload: Buffer, path: Lwm2mPath, types: TypeResolver = resourceType) => decodeContent(ContentFormat.TLV, payload, path, types);
const encode = (values: ResourceValue[], path: Lwm2mPath, types: TypeResolver = resourceType) => encodeContent(ContentFormat.TLV, values, path, types);
const only = (type: ReturnType<TypeResolver>): TypeResolver => () => type;

describe('TLV captures', () => {
  const cases: [string, Buffer, Lwm2mPath, ResourceValue[]][] = [
    ['manufacturer, 8-bit length', concat(hex('c8 00 14'), 'Open Mobile Alliance'), [3, 0], [{ path: [3, 0, 0], value: 'Open Mobile Alliance' }]],
    ['battery level, length in type byte', hex('c1 09 64'), [3, 0, 9], [{ path: [3, 0, 9], value: 100 }]],
    ['power sources, multiple resource', hex('86 06 41 00 01 41 01 05'), [3, 0], [
      { path: [3, 0, 6, 0], value: 1 },
      { path: [3, 0, 6, 1], value: 5 },
    ]],
    ['current time as 64-bit integer', hex('c8 0d 08 00 00 00 00 51 82 42 8f'), [3, 0], [{ path: [3, 0, 13], value: 1367491215 }]],
    ['whole Device instance (spec example)', DEVICE_TLV, [3, 0], DEVICE_VALUES],
    ['Device instance wrapped in an object-instance TLV', concat(hex('08 00'), Buffer.of(DEVICE_TLV.length), DEVICE_TLV), [3, 0], DEVICE_VALUES],
    ['resource instances answering a multiple-resource read', hex('41 00 01 41 01 05'), [3, 0, 6], [
      { path: [3, 0, 6, 0], value: 1 },
      { path: [3, 0, 6, 1], value: 5 },
    ]],
  ];
  for (const [name, payload, path, expected] of cases) {
    it(name, () => assert.deepEqual(decode(payload, path), expected));
  }

  it('Access Control object read: object instances, 16-bit resource instance IDs (spec example)', () => {
    const payload = hex(`08 00 0e c1 00 01 c1 01 00 83 02 41 7f 07 c1 03 7f
                         08 02 12 c1 00 03 c1 01 00 87 02 41 7f 07 61 01 36 01 c1 03 7f`);
    assert.deepEqual(decode(payload, [2]), [
      { path: [2, 0, 0], value: 1 },
      { path: [2, 0, 1], value: 0 },
      { path: [2, 0, 2, 127], value: 7 },
      { path: [2, 0, 3], value: 127 },
      { path: [2, 2, 0], value: 3 },
      { path: [2, 2, 1], value: 0 },
      { path: [2, 2, 2, 127], value: 7 },
      { path: [2, 2, 2, 310], value: 1 },
      { path: [2, 2, 3], value: 127 },
    ]);
  });

  it('bootstrap write of a Server instance (object instance 1, 8-bit length 0x21)', () => {
    const inner = concat(hex('c1 00 01 c4 01 00 01 51 80 c1 06 00'), hex('c1 07'), 'U', hex('c8 16 00 c1 02 05 c1 03 3c c1 05 0a c1 17 00 c1 10 00'));
    const payload = concat(hex('08 01'), Buffer.of(inner.length), inner);
    assert.equal(payload.subarray(0, 3).toString('hex'), '080121');
    assert.deepEqual(decode(payload, [1]), [
      { path: [1, 1, 0], value: 1 },
      { path: [1, 1, 1], value: 86400 },
      { path: [1, 1, 6], value: false },
      { path: [1, 1, 7], value: 'U' },
      { path: [1, 1, 22], value: '' },
      { path: [1, 1, 2], value: 5 },
      { path: [1, 1, 3], value: 60 },
      { path: [1, 1, 5], value: 10 },
      { path: [1, 1, 23], value: false },
      { path: [1, 1, 16], value: false },
    ]);
  });
});

describe('TLV values', () => {
  const cases: [string, Buffer, ReturnType<TypeResolver>, unknown][] = [
    ['int8 -1', hex('c1 09 ff'), 'integer', -1],
    ['int16 -32768', hex('c2 09 80 00'), 'integer', -32768],
    ['int32 2147483647', hex('c4 09 7f ff ff ff'), 'integer', 2147483647],
    ['int64 within 2^53 → number', hex('c8 09 08 00 1f ff ff ff ff ff ff'), 'integer', Number.MAX_SAFE_INTEGER],
    ['int64 beyond 2^53 → bigint', hex('c8 09 08 7f ff ff ff ff ff ff ff'), 'integer', 2n ** 63n - 1n],
    ['int64 most negative → bigint', hex('c8 09 08 80 00 00 00 00 00 00 00'), 'integer', -(2n ** 63n)],
    ['unsigned 8 bytes all ones', hex('c8 09 08 ff ff ff ff ff ff ff ff'), 'unsigned', 2n ** 64n - 1n],
    ['unsigned 1 byte 255', hex('c1 09 ff'), 'unsigned', 255],
    ['float32', hex('c4 09 3f c0 00 00'), 'float', 1.5],
    ['float64', hex('c8 09 08 40 09 21 fb 54 44 2d 18'), 'float', Math.PI],
    ['boolean true', hex('c1 09 01'), 'boolean', true],
    ['boolean false', hex('c1 09 00'), 'boolean', false],
    ['time', hex('c4 09 51 82 42 8f'), 'time', 1367491215],
    ['objlnk', hex('c4 09 00 03 00 00'), 'objlnk', { objectId: 3, instanceId: 0 }],
    ['objlnk null', hex('c4 09 ff ff ff ff'), 'objlnk', { objectId: 65535, instanceId: 65535 }],
    ['UTF-8 string', concat(hex('c5 09'), 'héll'), 'string', 'héll'],
    ['empty string', hex('c0 09'), 'string', ''],
    ['opaque', hex('c3 09 00 ff 10'), 'opaque', hex('00 ff 10')],
    ['executable (none) keeps the raw bytes', hex('c0 09'), 'none', Buffer.alloc(0)],
    ['unknown type stays opaque, never guessed', hex('c1 09 64'), undefined, hex('64')],
  ];
  for (const [name, payload, type, expected] of cases) {
    it(name, () => assert.deepEqual(decode(payload, [3, 0, 9], only(type)), [{ path: [3, 0, 9], value: expected }]));
  }

  it('16-bit resource ID and 16-bit length', () => {
    const value = Buffer.alloc(300, 0xab);
    const payload = concat(hex('f0 0f ae 01 2c'), value);
    assert.deepEqual(decode(payload, [20, 0], resourceType), [{ path: [20, 0, 4014], value }]);
  });

  it('24-bit length', () => {
    const value = Buffer.alloc(70000, 1);
    const payload = concat(hex('d8 00 01 11 70'), value);
    assert.deepEqual(decode(payload, [5, 0], resourceType), [{ path: [5, 0, 0], value }]);
  });
});

describe('TLV malformed input', () => {
  const cases: [string, Buffer, Lwm2mPath, RegExp][] = [
    ['truncated header', hex('c8'), [3, 0], /truncated/],
    ['16-bit ID header cut short', hex('e1 00'), [3, 0], /truncated/],
    ['declared length beyond payload', hex('c8 00 14 41 42'), [3, 0], /declares 20 value bytes/],
    ['24-bit length beyond payload', hex('d8 00 ff ff ff 00'), [3, 0], /declares 16777215/],
    ['integer of 3 bytes', hex('c3 09 01 02 03'), [3, 0], /3-byte integer/],
    ['float of 5 bytes', hex('c5 00 01 02 03 04 05'), [6, 0], /5-byte float/],
    ['boolean 2', hex('c1 06 02'), [1, 0], /neither 0 nor 1/],
    ['objlnk of 3 bytes', hex('c3 05 00 00 01'), [9, 0], /3-byte objlnk/],
    ['invalid UTF-8 string', hex('c2 00 c3 28'), [3, 0], /not valid UTF-8/],
    ['object instance inside an object instance', hex('08 00 02 00 01'), [3], /object instance TLV 1 inside \/3\/0/],
    ['multiple resource inside a multiple resource', hex('85 06 83 01 41 00 01'), [3, 0], /multiple resource TLV 1 inside \/3\/0\/6/],
    ['resource instance inside an object instance', hex('08 00 03 41 00 01'), [3], /resource instance TLV 0 inside \/3\/0/],
    ['resource TLV answering an object read', hex('c1 09 64'), [3], /resource TLV cannot answer a request on \/3/],
    ['resource instance TLV answering an instance read', hex('41 00 01'), [3, 0], /resource instance TLV cannot answer/],
    ['object instance outside the requested instance', hex('08 01 03 c1 09 64'), [3, 0], /\/3\/1 lies outside the requested \/3\/0/],
    ['resource outside the requested resource', hex('c1 0a 64'), [3, 0, 9], /\/3\/0\/10 lies outside the requested \/3\/0\/9/],
  ];
  for (const [name, payload, path, message] of cases) {
    it(name, () => assert.throws(() => decode(payload, path), (error: unknown) => error instanceof Lwm2mDecodeError && message.test(error.message)));
  }
});

describe('TLV encoder', () => {
  const width = (value: number | bigint, type: 'integer' | 'unsigned' = 'integer') =>
    encode([{ path: [3, 0, 9], value }], [3, 0, 9], only(type)).toString('hex');

  it('chooses minimal integer widths (two’s complement)', () => {
    assert.equal(width(0), 'c10900');
    assert.equal(width(127), 'c1097f');
    assert.equal(width(128), 'c2090080');
    assert.equal(width(-128), 'c10980');
    assert.equal(width(-129), 'c209ff7f');
    assert.equal(width(32768), 'c40900008000');
    assert.equal(width(2 ** 31), 'c8090800000000' + '80000000');
    assert.equal(width(2n ** 63n - 1n), 'c809087fffffffffffffff');
    assert.equal(width(255, 'unsigned'), 'c109ff');
    assert.equal(width(2n ** 64n - 1n, 'unsigned'), 'c80908ffffffffffffffff');
  });

  it('uses 16-bit IDs above 255 and 8/16/24-bit length fields', () => {
    assert.equal(encode([{ path: [20, 0, 4010], value: 1 }], [20, 0]).toString('hex'), 'e10faa01');
    assert.equal(encode([{ path: [3, 0, 0], value: 'x'.repeat(8) }], [3, 0]).subarray(0, 3).toString('hex'), 'c80008');
    assert.equal(encode([{ path: [3, 0, 0], value: 'x'.repeat(256) }], [3, 0]).subarray(0, 4).toString('hex'), 'd0000100');
    assert.equal(encode([{ path: [5, 0, 0], value: Buffer.alloc(65536) }], [5, 0]).subarray(0, 5).toString('hex'), 'd800010000');
  });

  it('always wraps resource instances in a multiple resource TLV, even a single one', () => {
    assert.equal(encode([{ path: [3, 0, 6, 0], value: 1 }], [3, 0]).toString('hex'), '8306410001');
    assert.equal(encode([{ path: [3, 0, 6, 0], value: 1 }], [3, 0, 6]).toString('hex'), '8306410001');
  });

  it('encodes an object read as object-instance TLVs and a resource-instance write bare', () => {
    assert.equal(encode([{ path: [9, 1, 7], value: 4 }, { path: [9, 2, 7], value: 0 }], [9]).toString('hex'), '0301c10704' + '0302c10700');
    assert.equal(encode([{ path: [3, 0, 6, 1], value: 5 }], [3, 0, 6, 1]).toString('hex'), '410105');
  });

  it('encodes every value type', () => {
    const values: ResourceValue[] = [
      { path: [3, 0, 13], value: 1367491215 },
      { path: [6, 0, 0], value: 1.5 },
      { path: [6, 0, 2], value: 0.1 },
      { path: [1, 0, 6], value: true },
      { path: [9, 0, 5], value: { objectId: 65535, instanceId: 65535 } },
      { path: [3, 0, 4], value: '' },
    ];
    const hexes = values.map((value) => encode([value], value.path).toString('hex'));
    assert.deepEqual(hexes, ['c40d5182428f', 'c4003fc00000', 'c802083fb999999999999a', 'c10601', 'c405ffffffff', 'c004']);
  });

  it('round-trips the Device example byte for byte', () => {
    assert.deepEqual(encode(DEVICE_VALUES, [3, 0]), DEVICE_TLV);
  });

  it('infers the type of resources missing from the models', () => {
    const values: ResourceValue[] = [
      { path: [31024, 0, 1], value: 'a' },
      { path: [31024, 0, 2], value: 7 },
      { path: [31024, 0, 3], value: 2.5 },
      { path: [31024, 0, 4], value: false },
      { path: [31024, 0, 5], value: hex('0102') },
    ];
    assert.equal(encode(values, [31024, 0]).toString('hex'), 'c10161' + 'c10207' + 'c40340200000' + 'c10400' + 'c2050102');
  });

  const refusals: [string, ResourceValue[], Lwm2mPath, RegExp][] = [
    ['a string for an integer resource', [{ path: [3, 0, 9], value: '100' }], [3, 0], /not a valid integer/],
    ['a fraction for an integer resource', [{ path: [3, 0, 9], value: 1.5 }], [3, 0], /not a valid integer/],
    ['a negative unsigned', [{ path: [5, 0, 13], value: -1 }], [5, 0], /not a valid unsigned/],
    ['an integer beyond 64 bits', [{ path: [3, 0, 9], value: 2n ** 63n }], [3, 0], /not a valid integer/],
    ['a value outside the request path', [{ path: [3, 0, 9], value: 1 }], [5, 0], /not a resource path inside \/5\/0/],
    ['an object path as a value', [{ path: [3, 0], value: 1 }], [3], /not a resource path/],
    ['the same resource twice', [{ path: [3, 0, 9], value: 1 }, { path: [3, 0, 9], value: 2 }], [3, 0], /more than once/],
    ['a resource mixed with its instances', [{ path: [3, 0, 6], value: 1 }, { path: [3, 0, 6, 0], value: 2 }], [3, 0], /more than once or mixed/],
  ];
  for (const [name, values, path, message] of refusals) {
    it(`refuses ${name}`, () => assert.throws(() => encode(values, path), (error: unknown) => error instanceof Lwm2mEncodeError && message.test(error.message)));
  }
});
