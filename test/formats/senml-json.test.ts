import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContentFormat, decodeContent, encodeContent } from '../../src/lwm2m/formats/index.js';
import { Lwm2mDecodeError, Lwm2mEncodeError, type Lwm2mPath, type ResourceValue } from '../../src/lwm2m/formats/model.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';
import { DEVICE_SENML_JSON, DEVICE_VALUES, hex } from './fixtures.js';

const decode = (json: string | Buffer, path: Lwm2mPath) =>
  decodeContent(ContentFormat.SENML_JSON, typeof json === 'string' ? Buffer.from(json) : json, path, resourceType);
const encode = (values: ResourceValue[], path: Lwm2mPath) => encodeContent(ContentFormat.SENML_JSON, values, path, resourceType).toString();

describe('SenML JSON decoding', () => {
  const cases: [string, string, Lwm2mPath, ResourceValue[]][] = [
    ['Device instance (spec example)', DEVICE_SENML_JSON, [3, 0], DEVICE_VALUES],
    ['single resource named by the base name', '[{"bn":"/3/0/9","v":100}]', [3, 0, 9], [{ path: [3, 0, 9], value: 100 }]],
    ['full names without a base name', '[{"n":"/3/0/9","v":100}]', [3, 0, 9], [{ path: [3, 0, 9], value: 100 }]],
    ['base name changing between records (composite read)', '[{"bn":"/3/0/","n":"0","vs":"ACME"},{"bn":"/5/0/","n":"1","vs":"coap://fw"}]', [], [
      { path: [3, 0, 0], value: 'ACME' },
      { path: [5, 0, 1], value: 'coap://fw' },
    ]],
    ['base time and relative times', '[{"bn":"/3/0/","bt":1700000000,"n":"9","v":90},{"n":"9","v":80,"t":60}]', [3, 0, 9], [
      { path: [3, 0, 9], value: 90, time: 1700000000 },
      { path: [3, 0, 9], value: 80, time: 1700000060 },
    ]],
    ['base value added to v', '[{"bn":"/3/0/","bv":100,"n":"9","v":-5}]', [3, 0], [{ path: [3, 0, 9], value: 95 }]],
    ['opaque as base64url in vd', '[{"bn":"/5/0/0","vd":"-_8"}]', [5, 0, 0], [{ path: [5, 0, 0], value: hex('fb ff') }]],
    ['opaque as padded standard base64', '[{"bn":"/5/0/0","vd":"AP8Q"}]', [5, 0, 0], [{ path: [5, 0, 0], value: hex('00 ff 10') }]],
    ['object link in vlo', '[{"bn":"/9/0/","n":"5","vlo":"3:0"}]', [9, 0], [{ path: [9, 0, 5], value: { objectId: 3, instanceId: 0 } }]],
    ['boolean in vb', '[{"bn":"/1/0/","n":"6","vb":true}]', [1, 0], [{ path: [1, 0, 6], value: true }]],
    ['float resource', '[{"bn":"/6/0/","n":"0","v":48.8566},{"n":"5","v":1700000000}]', [6, 0], [
      { path: [6, 0, 0], value: 48.8566 },
      { path: [6, 0, 5], value: 1700000000 },
    ]],
    ['resources missing from the models keep the SenML kind', '[{"bn":"/31024/0/","n":"1","vs":"a"},{"n":"2","v":2.5},{"n":"3","vd":"AQI"}]', [31024], [
      { path: [31024, 0, 1], value: 'a' },
      { path: [31024, 0, 2], value: 2.5 },
      { path: [31024, 0, 3], value: hex('0102') },
    ]],
    ['unknown optional fields are ignored', '[{"bn":"/3/0/","n":"9","v":1,"u":"%","bver":10}]', [3, 0], [{ path: [3, 0, 9], value: 1 }]],
    ['empty array', '[]', [3, 0], []],
  ];
  for (const [name, json, path, expected] of cases) {
    it(name, () => assert.deepEqual(decode(json, path), expected));
  }
});

describe('SenML JSON malformed input', () => {
  const cases: [string, string | Buffer, Lwm2mPath, RegExp][] = [
    ['not JSON', '[{"bn":', [3, 0], /not valid JSON/],
    ['invalid UTF-8', hex('5b 22 ff 22 5d'), [3, 0], /SenML JSON payload is not valid UTF-8/],
    ['an object instead of an array', '{"bn":"/3/0/"}', [3, 0], /must be an array/],
    ['a record that is not an object', '[1]', [3, 0], /record 0 is not an object/],
    ['a name of the wrong type', '[{"n":9,"v":1}]', [3, 0], /"n" must be a string/],
    ['a value of the wrong type', '[{"n":"/3/0/9","v":"100"}]', [3, 0], /"v" must be a number/],
    ['a name that is not a path', '[{"n":"/3/x/9","v":1}]', [3, 0], /not an LwM2M path/],
    ['a name with a leading zero', '[{"n":"/3/00/9","v":1}]', [3, 0], /not an LwM2M path/],
    ['an ID beyond 65535', '[{"n":"/3/70000/9","v":1}]', [3], /not an LwM2M path/],
    ['five path segments', '[{"n":"/3/0/6/0/1","v":1}]', [3, 0], /not an LwM2M path/],
    ['an instance path carrying a value', '[{"n":"/3/0","v":1}]', [3], /\/3\/0 is not a resource path/],
    ['a record outside the request path', '[{"bn":"/3/0/","n":"9","v":1},{"bn":"/4/0/","n":"2","v":-70}]', [3, 0], /\/4\/0\/2 lies outside the requested \/3\/0/],
    ['two values in a record', '[{"n":"/3/0/9","v":1,"vs":"1"}]', [3, 0], /exactly one value, has 2/],
    ['no value in a record', '[{"n":"/3/0/9"}]', [3, 0], /exactly one value, has 0/],
    ['a must-understand field', '[{"n":"/3/0/9","v":1,"foo_":1}]', [3, 0], /must-understand field "foo_"/],
    ['a fraction for an integer resource', '[{"n":"/3/0/9","v":1.5}]', [3, 0], /non-integer value 1.5/],
    ['an integer beyond 64 bits', '[{"n":"/3/0/13","v":1e20}]', [3, 0], /out of range/],
    ['a string for an integer resource', '[{"n":"/3/0/9","vs":"100"}]', [3, 0], /integer resource carried in "vs"/],
    ['a number for a boolean resource', '[{"n":"/1/0/6","v":1}]', [1, 0], /boolean resource carried in "v"/],
    ['invalid base64', '[{"n":"/5/0/0","vd":"AP8Q!"}]', [5, 0], /invalid base64/],
    ['an invalid object link', '[{"n":"/9/0/5","vlo":"3:x"}]', [9, 0], /invalid object link/],
    ['an object link beyond 16 bits', '[{"n":"/9/0/5","vlo":"3:65536"}]', [9, 0], /invalid object link/],
    ['deeply nested arrays', '['.repeat(100000) + ']'.repeat(100000), [3, 0], /record 0 is not an object/],
  ];
  for (const [name, payload, path, message] of cases) {
    it(name, () => assert.throws(() => decode(payload, path), (error: unknown) => error instanceof Lwm2mDecodeError && message.test(error.message)));
  }
});

describe('SenML JSON encoding', () => {
  it('writes the Device example exactly as the specification does', () => {
    assert.equal(encode(DEVICE_VALUES, [3, 0]), DEVICE_SENML_JSON);
  });

  it('names a single resource by the base name alone', () => {
    assert.equal(encode([{ path: [3, 0, 9], value: 100 }], [3, 0, 9]), '[{"bn":"/3/0/9","v":100}]');
  });

  it('writes opaque as unpadded base64url, object links, booleans, 64-bit integers and times', () => {
    const json = encode(
      [
        { path: [9, 0, 2], value: hex('fb ff') },
        { path: [9, 0, 5], value: { objectId: 3, instanceId: 0 } },
        { path: [9, 0, 8], value: true },
        { path: [9, 0, 7], value: 2n ** 63n - 1n, time: 1700000000 },
      ],
      [9, 0],
    );
    assert.equal(json, '[{"bn":"/9/0/","n":"2","vd":"-_8"},{"n":"5","vlo":"3:0"},{"n":"8","vb":true},{"n":"7","t":1700000000,"v":9223372036854775807}]');
  });

  it('uses "/" as base name for a root (composite) write', () => {
    assert.equal(encode([{ path: [3, 0, 14], value: '+01:00' }], []), '[{"bn":"/","n":"3/0/14","vs":"+01:00"}]');
  });

  it('round-trips through the decoder', () => {
    const values: ResourceValue[] = [...DEVICE_VALUES, { path: [3, 0, 22, 0], value: { objectId: 65535, instanceId: 65535 } }];
    assert.deepEqual(decode(encode(values, [3]), [3]), values);
  });

  const refusals: [string, ResourceValue[], Lwm2mPath, RegExp][] = [
    ['NaN', [{ path: [6, 0, 0], value: NaN }], [6, 0], /cannot carry the number NaN/],
    ['an executable resource', [{ path: [3, 0, 4], value: '' }], [3, 0], /executable/],
    ['a value outside the request path', [{ path: [3, 0, 9], value: 1 }], [4], /not a resource path inside \/4/],
    ['a string for a boolean resource', [{ path: [1, 0, 6], value: 'true' }], [1, 0], /not a valid boolean/],
  ];
  for (const [name, values, path, message] of refusals) {
    it(`refuses ${name}`, () => assert.throws(() => encode(values, path), (error: unknown) => error instanceof Lwm2mEncodeError && message.test(error.message)));
  }
});
