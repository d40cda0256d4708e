import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContentFormat, decodeContent, encodeContent } from '../../src/lwm2m/formats/index.js';
import { Lwm2mDecodeError, Lwm2mEncodeError, type Lwm2mPath, type ResourceValue } from '../../src/lwm2m/formats/model.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';
import { DEVICE_LWM2M_JSON, DEVICE_VALUES, hex } from './fixtures.js';

const decode = (json: string, path: Lwm2mPath, format: number = ContentFormat.LWM2M_JSON) =>
  decodeContent(format, Buffer.from(json), path, resourceType);
const encode = (values: ResourceValue[], path: Lwm2mPath) => encodeContent(ContentFormat.LWM2M_JSON, values, path, resourceType).toString();

describe('LwM2M JSON decoding (11543 and 1543)', () => {
  const cases: [string, string, Lwm2mPath, ResourceValue[]][] = [
    ['Device instance (spec example)', DEVICE_LWM2M_JSON, [3, 0], DEVICE_VALUES],
    ['strings, integers and resource instances', '{"bn":"/3/0/","e":[{"n":"0","sv":"ACME"},{"n":"9","v":100},{"n":"6/0","v":1}]}', [3, 0], [
      { path: [3, 0, 0], value: 'ACME' },
      { path: [3, 0, 9], value: 100 },
      { path: [3, 0, 6, 0], value: 1 },
    ]],
    ['boolean and object link', '{"bn":"/9/0/","e":[{"n":"8","bv":true},{"n":"5","ov":"3:0"}]}', [9, 0], [
      { path: [9, 0, 8], value: true },
      { path: [9, 0, 5], value: { objectId: 3, instanceId: 0 } },
    ]],
    ['opaque as base64 in sv', '{"bn":"/5/0/0","e":[{"sv":"AP8Q"}]}', [5, 0, 0], [{ path: [5, 0, 0], value: hex('00 ff 10') }]],
    ['no base name: names relative to the request path', '{"e":[{"n":"9","v":100}]}', [3, 0], [{ path: [3, 0, 9], value: 100 }]],
    ['no base name and no name: the request path itself', '{"e":[{"v":100}]}', [3, 0, 9], [{ path: [3, 0, 9], value: 100 }]],
    ['no base name, absolute names', '{"e":[{"n":"/3/0/9","v":100}]}', [3, 0], [{ path: [3, 0, 9], value: 100 }]],
    ['base time and entry times', '{"bn":"/3/0/","bt":1700000000,"e":[{"n":"9","v":90,"t":-60},{"n":"9","v":80}]}', [3, 0], [
      { path: [3, 0, 9], value: 90, time: 1699999940 },
      { path: [3, 0, 9], value: 80, time: 1700000000 },
    ]],
  ];
  for (const [name, json, path, expected] of cases) {
    it(name, () => assert.deepEqual(decode(json, path), expected));
  }

  it('decodes the old number 1543 the same way', () => {
    assert.deepEqual(decode(DEVICE_LWM2M_JSON, [3, 0], ContentFormat.OLD_JSON), DEVICE_VALUES);
  });
});

describe('LwM2M JSON malformed input', () => {
  const cases: [string, string, Lwm2mPath, RegExp][] = [
    ['not JSON', '{"e":[', [3, 0], /not valid JSON/],
    ['no e array', '{"bn":"/3/0/"}', [3, 0], /with an "e" array/],
    ['an array at the top', '[{"n":"0","sv":"x"}]', [3, 0], /with an "e" array/],
    ['a numeric base name', '{"bn":3,"e":[]}', [3, 0], /"bn" must be a string/],
    ['a string base time', '{"bt":"now","e":[]}', [3, 0], /"bt" must be a number/],
    ['an entry that is not an object', '{"e":[7]}', [3, 0], /entry 0 is not an object/],
    ['a numeric name', '{"e":[{"n":9,"v":1}]}', [3, 0], /"n" must be a string/],
    ['a string time', '{"e":[{"n":"9","v":1,"t":"x"}]}', [3, 0], /"t" must be a number/],
    ['two values', '{"e":[{"n":"9","v":1,"sv":"1"}]}', [3, 0], /exactly one value, has 2/],
    ['no value', '{"e":[{"n":"9"}]}', [3, 0], /exactly one value, has 0/],
    ['a value of the wrong JSON type', '{"e":[{"n":"9","v":"1"}]}', [3, 0], /"v" must be a number/],
    ['a string for an integer resource', '{"e":[{"n":"9","sv":"1"}]}', [3, 0], /integer resource carried in "sv"/],
    ['a name that is not a path', '{"bn":"/3/0/","e":[{"n":"x","v":1}]}', [3, 0], /not an LwM2M path/],
    ['an entry outside the request path', '{"bn":"/4/0/","e":[{"n":"2","v":1}]}', [3, 0], /outside the requested \/3\/0/],
    ['invalid base64 for opaque', '{"bn":"/5/0/0","e":[{"sv":"*"}]}', [5, 0, 0], /invalid base64/],
    ['an invalid object link', '{"bn":"/9/0/5","e":[{"ov":"3"}]}', [9, 0, 5], /invalid object link/],
  ];
  for (const [name, json, path, message] of cases) {
    it(name, () => assert.throws(() => decode(json, path), (error: unknown) => error instanceof Lwm2mDecodeError && message.test(error.message)));
  }
});

describe('LwM2M JSON encoding', () => {
  it('writes the Device example exactly as the specification does', () => {
    assert.equal(encode(DEVICE_VALUES, [3, 0]), DEVICE_LWM2M_JSON);
  });

  it('writes a single resource, opaque as base64, object links, booleans and times', () => {
    assert.equal(encode([{ path: [3, 0, 9], value: 100 }], [3, 0, 9]), '{"bn":"/3/0/9","e":[{"v":100}]}');
    assert.equal(
      encode(
        [
          { path: [9, 0, 2], value: hex('fb ff') },
          { path: [9, 0, 5], value: { objectId: 3, instanceId: 0 } },
          { path: [9, 0, 8], value: false, time: 5 },
        ],
        [9, 0],
      ),
      '{"bn":"/9/0/","e":[{"n":"2","sv":"+/8="},{"n":"5","ov":"3:0"},{"n":"8","bv":false,"t":5}]}',
    );
  });

  it('round-trips an object read with several instances', () => {
    const values: ResourceValue[] = [
      { path: [9, 1, 0], value: 'app' },
      { path: [9, 1, 7], value: 4 },
      { path: [9, 2, 0], value: 'lib' },
      { path: [9, 2, 12], value: true },
    ];
    assert.deepEqual(decode(encode(values, [9]), [9]), values);
  });

  it('refuses an executable resource', () => {
    assert.throws(() => encode([{ path: [3, 0, 4], value: '' }], [3, 0]), Lwm2mEncodeError);
  });
});
