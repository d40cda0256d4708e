import { ContentFormat } from '../../lwm2m/formats/index.js';
import type { ResourceType } from '../../lwm2m/formats/model.js';

export type Lwm2mVersion = '1.0' | '1.1' | '1.2';

/** Which payload formats a device speaks and which it answers with when the request has no Accept. */
export interface FormatPolicy {
  supported: readonly number[];
  /** Format of multi-value answers without Accept (the `ct=` preference of 1.1+ clients, TLV for 1.0). */
  multiValueDefault: number;
  /** Wakaama answers single resources in TLV too when no Accept is given. */
  tlvForSingleResources: boolean;
}

/** 1.0 clients: text, opaque, TLV. 1.1+ clients: also SenML JSON and SenML CBOR (CoRE link for Discover in both). */
export function defaultFormats(version: Lwm2mVersion | null): number[] {
  const legacy = [ContentFormat.TEXT, ContentFormat.OPAQUE, ContentFormat.TLV];
  return version === null || version === '1.0' ? legacy : [...legacy, ContentFormat.SENML_JSON, ContentFormat.SENML_CBOR];
}

export function defaultMultiValueFormat(version: Lwm2mVersion | null, preferred: number | undefined): number {
  if (preferred !== undefined) return preferred;
  return version === null || version === '1.0' ? ContentFormat.TLV : ContentFormat.SENML_CBOR;
}

/**
 * The Content-Format of a Read answer, or `4.06` when the Accept'ed format cannot carry the value
 * (text/opaque for several values, text for opaque data, opaque for non-opaque data, an unsupported format).
 */
export function readFormat(policy: FormatPolicy, accept: number | undefined, singleValue: boolean, type: ResourceType | undefined): number | '4.06' {
  if (accept === undefined) {
    if (!singleValue) return policy.multiValueDefault;
    if (policy.tlvForSingleResources) return ContentFormat.TLV;
    return type === 'opaque' ? ContentFormat.OPAQUE : ContentFormat.TEXT;
  }
  if (!policy.supported.includes(accept)) return '4.06';
  if (accept === ContentFormat.TEXT && (!singleValue || type === 'opaque')) return '4.06';
  if (accept === ContentFormat.OPAQUE && (!singleValue || type !== 'opaque')) return '4.06';
  return accept;
}

/** A payload that claims to be `format` but does not decode (truncated TLV / JSON / CBOR, a non-number as text). */
export function undecodablePayload(format: number): Buffer {
  switch (format) {
    case ContentFormat.TLV:
      return Buffer.from([0xc8, 0x00, 0x14, 0x41]); // declares 20 bytes of value, carries 1
    case ContentFormat.SENML_JSON:
      return Buffer.from('[{"bn":"/3/0/","n":"0","vs":');
    case ContentFormat.SENML_CBOR:
      return Buffer.from([0x9f, 0xa2, 0x00]); // indefinite array, map of 2 pairs, cut after one key
    case ContentFormat.LINK_FORMAT:
      return Buffer.from('</3/0,</3/0/');
    default:
      return Buffer.from([0xff, 0xfe, 0x00, 0x2a]); // no valid UTF-8, not a number
  }
}
