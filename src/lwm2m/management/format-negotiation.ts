import { ContentFormat, DECODABLE_FORMATS, isMultiValueFormat } from '../formats/index.js';
import type { Lwm2mClientInfo } from '../downlink.js';

/** Multi-value formats tried when the client announced no preference: SenML for 1.1+, TLV for 1.0 (reference lwm2m.md §6.1). */
function versionDefaults(version: string): number[] {
  return version === '1.0' ? [ContentFormat.TLV] : [ContentFormat.SENML_CBOR, ContentFormat.SENML_JSON, ContentFormat.TLV];
}

/** Never ask a device for a format the proxy could not decode. */
function canHandle(format: number): boolean {
  return DECODABLE_FORMATS.includes(format) && isMultiValueFormat(format);
}

/**
 * What each endpoint accepts for multi-value payloads, learned from its answers: a format that worked,
 * or "text only" for clients that never answer multi-value formats (they time out instead of 4.06).
 */
export class FormatPreferences {
  private readonly learned = new Map<string, number | 'text'>();

  /** Multi-value formats to try, best first; empty for text-only clients. */
  multiValueFormats(client: Lwm2mClientInfo): number[] {
    const learned = this.learned.get(client.endpoint);
    if (learned === 'text') return [];
    const ordered = [learned, client.preferredFormat, ...versionDefaults(client.version)];
    return [...new Set(ordered.filter((format): format is number => format !== undefined && canHandle(format)))];
  }

  /** True once a multi-value format worked for this endpoint: a later time-out then means the device is gone, not a quirk. */
  hasProvenFormat(endpoint: string): boolean {
    return typeof this.learned.get(endpoint) === 'number';
  }

  isTextOnly(endpoint: string): boolean {
    return this.learned.get(endpoint) === 'text';
  }

  remember(endpoint: string, format: number | 'text'): void {
    this.learned.set(endpoint, format);
  }

  /** A new registration may be different firmware: learn again. */
  forget(endpoint: string): void {
    this.learned.delete(endpoint);
  }
}
