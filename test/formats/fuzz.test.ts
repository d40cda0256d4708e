/** Every decoder, fed random, truncated and mutated payloads, either decodes or throws Lwm2mDecodeError: no other exception, no hang. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContentFormat, DECODABLE_FORMATS, decodeContent, encodeContent } from '../../src/lwm2m/formats/index.js';
import { Lwm2mDecodeError, type Lwm2mPath } from '../../src/lwm2m/formats/model.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';
import { DEVICE_VALUES, hex, randomBytes } from './fixtures.js';

const REQUEST_PATHS: Lwm2mPath[] = [[3], [3, 0], [3, 0, 9], [3, 0, 6], [3, 0, 6, 1], [5, 0, 1], [31024, 0, 1]];

function seedPayloads(format: number): Buffer[] {
  if (format === ContentFormat.TEXT || format === ContentFormat.OLD_TEXT) return [Buffer.from('100'), Buffer.from('3:0')];
  if (format === ContentFormat.OPAQUE || format === ContentFormat.OLD_OPAQUE) return [hex('00 ff')];
  if (format === ContentFormat.CBOR) return [hex('1b 7fffffffffffffff'), hex('63 333a30')];
  return [encodeContent(format, DEVICE_VALUES, [3, 0], resourceType)];
}

function* hostilePayloads(format: number, seed: number): Generator<Buffer> {
  for (let i = 0; i < 300; i++) yield randomBytes(seed + i, i % 48);
  for (const valid of seedPayloads(format)) {
    for (let length = 0; length < valid.length; length++) yield valid.subarray(0, length);
    for (let i = 0; i < Math.min(valid.length, 200); i++) {
      const mutated = Buffer.from(valid);
      mutated[i] = randomBytes(seed * 31 + i, 1)[0];
      yield mutated;
    }
  }
}

describe('decoders under random, truncated and mutated input', () => {
  for (const format of DECODABLE_FORMATS) {
    it(`content format ${format}`, () => {
      let decoded = 0;
      let rejected = 0;
      for (const payload of hostilePayloads(format, format)) {
        for (const path of REQUEST_PATHS) {
          try {
            assert.ok(Array.isArray(decodeContent(format, payload, path, resourceType)));
            decoded++;
          } catch (error) {
            if (!(error instanceof Lwm2mDecodeError)) {
              assert.fail(`format ${format}, path /${path.join('/')}, payload ${payload.toString('hex')}: ${String(error)}`);
            }
            assert.ok(error.message.length > 0);
            rejected++;
          }
        }
      }
      assert.ok(rejected > 0, 'hostile input must be rejected at least sometimes');
      assert.ok(decoded + rejected > 1000);
    });
  }
});
