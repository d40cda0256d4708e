import { ContentFormat, decodeContent, encodeContent } from '../src/lwm2m/formats/index.js';
import type { ResourceValue } from '../src/lwm2m/formats/model.js';
import { resourceType } from '../src/lwm2m/objects/registry.js';
import { ratios, timeSeries } from './stats.js';

/** A Device object instance as a real client reports it. */
const DEVICE_INSTANCE: ResourceValue[] = [
  { path: [3, 0, 0], value: 'Simulated Devices Ltd' },
  { path: [3, 0, 1], value: 'SIM-LWM2M-1' },
  { path: [3, 0, 2], value: 'SN-0001-0002-0003' },
  { path: [3, 0, 3], value: '1.0.0' },
  { path: [3, 0, 6, 0], value: 1 },
  { path: [3, 0, 6, 1], value: 5 },
  { path: [3, 0, 7, 0], value: 3800 },
  { path: [3, 0, 7, 1], value: 5000 },
  { path: [3, 0, 9], value: 87 },
  { path: [3, 0, 10], value: 15 },
  { path: [3, 0, 11, 0], value: 0 },
  { path: [3, 0, 13], value: 1_760_000_000 },
  { path: [3, 0, 14], value: '+01:00' },
  { path: [3, 0, 16], value: 'U' },
  { path: [3, 0, 17], value: 'sensor' },
  { path: [3, 0, 18], value: 'HW-1.0' },
  { path: [3, 0, 19], value: '2.1.0' },
  { path: [3, 0, 20], value: 0 },
  { path: [3, 0, 21], value: 128 },
];

/** Decoding /3/0 from TLV against JSON.parse of the same values (V8's native parser as the baseline). */
export async function tlvVersusJsonParse(iterations: number): Promise<Record<string, unknown>> {
  const tlv = encodeContent(ContentFormat.TLV, DEVICE_INSTANCE, [3, 0], resourceType);
  const json = JSON.stringify(DEVICE_INSTANCE);
  const decodeTlv = () => decodeContent(ContentFormat.TLV, tlv, [3, 0], resourceType);
  const parseJson = () => JSON.parse(json) as unknown;
  for (let i = 0; i < 2000; i++) {
    decodeTlv();
    parseJson();
  }
  const baseline = await timeSeries(iterations, parseJson);
  const subject = await timeSeries(iterations, decodeTlv);
  return {
    scenario: 'tlv-decode-device-instance-vs-json-parse',
    payloadBytes: { tlv: tlv.length, json: json.length },
    baseline,
    subject,
    ratio: ratios(subject, baseline),
  };
}
