import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContentFormat, decodeContent, encodeContent } from '../../src/lwm2m/formats/index.js';
import { Lwm2mDecodeError, type Lwm2mPath, type ResourceValue } from '../../src/lwm2m/formats/model.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';
import { DEVICE_VALUES, hex } from './fixtures.js';

const decode = (payload: Buffer, path: Lwm2mPath) => decodeContent(ContentFormat.SENML_CBOR, payload, path, resourceType);
const encode = (values: ResourceValue[], path: Lwm2mPath) => encodeContent(ContentFormat.SENML_CBOR, values, path, resourceType);

// Payloads assembled by hand from RFC 8949 / RFC 8428 (labels: -2 bn, -3 bt, 0 n, 2 v, 4 vb, 6 t, 8 vd; text "vlo").
describe('SenML CBOR decoding', () => {
  const cases: [string, string, Lwm2mPath, ResourceValue[]][] = [
    ['[{bn:"/3/0/", n:"9", v:100}]', '81 a3 21 65 2f332f302f 00 61 39 02 18 64', [3, 0], [{ path: [3, 0, 9], value: 100 }]],
    ['object link under the text label vlo', '81 a3 21 65 2f392f302f 00 61 35 63 766c6f 63 333a30', [9, 0], [
      { path: [9, 0, 5], value: { objectId: 3, instanceId: 0 } },
    ]],
    ['opaque as a byte string', '81 a2 21 66 2f352f302f30 08 42 00ff', [5, 0, 0], [{ path: [5, 0, 0], value: hex('00 ff') }]],
    ['boolean', '81 a2 00 66 2f312f302f36 04 f5', [1, 0], [{ path: [1, 0, 6], value: true }]],
    ['string', '81 a2 00 66 2f332f302f30 03 64 41434d45', [3, 0], [{ path: [3, 0, 0], value: 'ACME' }]],
    ['base time and time', '82 a4 21 65 2f332f302f 22 1a 6553f100 00 61 39 02 18 5a  a3 00 61 39 06 18 3c 02 18 50', [3, 0], [
      { path: [3, 0, 9], value: 90, time: 1700000000 },
      { path: [3, 0, 9], value: 80, time: 1700000060 },
    ]],
    ['64-bit integer beyond 2^53 → bigint', '81 a2 00 67 2f332f302f3133 02 1b 7fffffffffffffff', [3, 0], [{ path: [3, 0, 13], value: 2n ** 63n - 1n }]],
    ['64-bit encoding of a small integer → number', '81 a2 00 67 2f332f302f3133 02 1b 0000000000000005', [3, 0], [{ path: [3, 0, 13], value: 5 }]],
    ['negative integer', '81 a2 00 66 2f342f302f32 02 38 45', [4, 0], [{ path: [4, 0, 2], value: -70 }]],
    ['half-precision float', '81 a2 00 66 2f362f302f30 02 f9 3e00', [6, 0], [{ path: [6, 0, 0], value: 1.5 }]],
    ['resource instance', '81 a2 00 68 2f332f302f362f31 02 05', [3, 0, 6], [{ path: [3, 0, 6, 1], value: 5 }]],
  ];
  for (const [name, payload, path, expected] of cases) {
    it(name, () => assert.deepEqual(decode(hex(payload), path), expected));
  }
});

describe('SenML CBOR malformed input', () => {
  const cases: [string, Buffer, Lwm2mPath, RegExp][] = [
    ['truncated', hex('82 a1 00'), [3, 0], /not valid CBOR/],
    ['trailing bytes', hex('80 00'), [3, 0], /not valid CBOR/],
    ['a map instead of an array', hex('a0'), [3, 0], /must be an array/],
    ['a record that is not a map', hex('81 01'), [3, 0], /record 0 is not a map/],
    ['a name that is not text', hex('81 a2 00 09 02 01'), [3, 0], /label 0 \(n\) has the wrong type/],
    ['a value that is a nested map', hex('81 a2 00 66 2f332f302f39 02 a0'), [3, 0], /label 2 \(v\) has the wrong type/],
    ['a date-tagged value', hex('81 a2 00 66 2f332f302f39 02 c1 1a 00000001'), [3, 0], /label 2 \(v\) has the wrong type/],
    ['a must-understand text label', hex('81 a3 00 66 2f332f302f39 02 01 64 666f6f5f 01'), [3, 0], /must-understand label "foo_"/],
    ['a record outside the request path', hex('81 a2 00 66 2f342f302f32 02 01'), [3, 0], /outside the requested \/3\/0/],
    ['a byte string for an integer resource', hex('81 a2 00 66 2f332f302f39 08 41 01'), [3, 0], /integer resource carried in "vd"/],
    ['an array length beyond the payload', hex('9b ffffffffffffffff'), [3, 0], /not valid CBOR/],
    ['a text length beyond the payload', hex('81 a1 00 7a 7fffffff 41'), [3, 0], /not valid CBOR/],
    ['arrays nested 100 000 deep', Buffer.alloc(100000, 0x81), [3, 0], /not valid CBOR/],
    ['an unknown shared-reference tag', hex('81 a2 00 d8 1d 00 02 01'), [3, 0], /not valid CBOR|wrong type/],
  ];
  for (const [name, payload, path, message] of cases) {
    it(name, () => assert.throws(() => decode(payload, path), (error: unknown) => error instanceof Lwm2mDecodeError && message.test(error.message)));
  }

  it('decodes normally after a hostile payload', () => {
    assert.throws(() => decode(Buffer.alloc(100000, 0x81), [3, 0]), Lwm2mDecodeError);
    assert.deepEqual(decode(hex('81 a3 21 65 2f332f302f 00 61 39 02 18 64'), [3, 0]), [{ path: [3, 0, 9], value: 100 }]);
  });
});

describe('SenML CBOR encoding', () => {
  it('uses integer labels and the text label vlo', () => {
    assert.equal(encode([{ path: [3, 0, 9], value: 100 }], [3, 0]).toString('hex'), '81a321652f332f302f006139021864');
    assert.equal(
      encode([{ path: [9, 0, 5], value: { objectId: 3, instanceId: 0 } }], [9, 0]).toString('hex'),
      '81a321652f392f302f00613563766c6f63333a30',
    );
  });

  it('writes opaque as a byte string and 64-bit integers exactly', () => {
    assert.equal(encode([{ path: [5, 0, 0], value: hex('00 ff') }], [5, 0, 0]).toString('hex'), '81a221662f352f302f30084200ff');
    assert.equal(encode([{ path: [3, 0, 13], value: 2n ** 63n - 1n }], [3, 0, 13]).toString('hex'), '81a221672f332f302f3133021b7fffffffffffffff');
  });

  it('round-trips the Device example and times', () => {
    const values: ResourceValue[] = [...DEVICE_VALUES, { path: [3, 0, 9], value: 40, time: 1700000000 }];
    assert.deepEqual(decode(encode(values, [3, 0]), [3, 0]), values);
  });
});
