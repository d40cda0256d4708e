import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ContentFormat,
  DECODABLE_FORMATS,
  decodeContent,
  encodeContent,
  isMultiValueFormat,
  MAX_CONTENT_BYTES,
  MAX_VALUES,
} from '../../src/lwm2m/formats/index.js';
import { Lwm2mDecodeError } from '../../src/lwm2m/formats/model.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';
import { DEVICE_LWM2M_JSON, DEVICE_SENML_JSON, DEVICE_TLV, DEVICE_VALUES } from './fixtures.js';

const unsupported = (format: number) => (error: unknown) =>
  error instanceof Lwm2mDecodeError && error.message === `unsupported content format ${format}`;

describe('content format dispatch', () => {
  it('lists every format it decodes, old numbers included, link-format and LwM2M CBOR excluded', () => {
    assert.deepEqual([...DECODABLE_FORMATS].sort((a, b) => a - b), [0, 42, 60, 110, 112, 1541, 1542, 1543, 1544, 11542, 11543]);
  });

  it('tells multi-value formats from single-value and unknown ones', () => {
    for (const format of [11542, 1542, 110, 112, 11543, 1543]) assert.equal(isMultiValueFormat(format), true, String(format));
    for (const format of [0, 1541, 42, 1544, 60, 40, 11544, 9999]) assert.equal(isMultiValueFormat(format), false, String(format));
  });

  it('refuses unknown content formats in both directions', () => {
    assert.throws(() => decodeContent(ContentFormat.LINK_FORMAT, Buffer.from('</3/0>'), [3], resourceType), unsupported(40));
    assert.throws(() => decodeContent(9999, Buffer.alloc(0), [3], resourceType), unsupported(9999));
    assert.throws(() => encodeContent(ContentFormat.LWM2M_CBOR, DEVICE_VALUES, [3, 0], resourceType), unsupported(11544));
  });

  it('refuses oversized payloads before parsing them', () => {
    const payload = Buffer.alloc(MAX_CONTENT_BYTES + 1, 0x20);
    assert.throws(() => decodeContent(ContentFormat.SENML_JSON, payload, [3, 0], resourceType), new RegExp(`exceeds the ${MAX_CONTENT_BYTES}-byte limit`));
  });

  it('refuses payloads with more values than MAX_VALUES', () => {
    const emptyStrings = Buffer.alloc(2 * (MAX_VALUES + 1), Buffer.from('c000', 'hex'));
    assert.equal(decodeContent(ContentFormat.TLV, emptyStrings.subarray(0, 2 * MAX_VALUES), [3, 0], resourceType).length, MAX_VALUES);
    assert.throws(() => decodeContent(ContentFormat.TLV, emptyStrings, [3, 0], resourceType), /more than 65536 values/);
    const records = `[{"bn":"/3/0/0","vs":""}${',{"vs":""}'.repeat(MAX_VALUES)}]`;
    assert.throws(() => decodeContent(ContentFormat.SENML_JSON, Buffer.from(records), [3, 0], resourceType), /more than 65536 values/);
  });

  it('decodes the same Device read identically from every multi-value format', () => {
    const senmlCbor = encodeContent(ContentFormat.SENML_CBOR, DEVICE_VALUES, [3, 0], resourceType);
    const payloads: [number, Buffer][] = [
      [ContentFormat.TLV, DEVICE_TLV],
      [ContentFormat.OLD_TLV, DEVICE_TLV],
      [ContentFormat.SENML_JSON, Buffer.from(DEVICE_SENML_JSON)],
      [ContentFormat.SENML_CBOR, senmlCbor],
      [ContentFormat.LWM2M_JSON, Buffer.from(DEVICE_LWM2M_JSON)],
    ];
    for (const [format, payload] of payloads) assert.deepEqual(decodeContent(format, payload, [3, 0], resourceType), DEVICE_VALUES, String(format));
  });
});
