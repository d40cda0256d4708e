/**
 * SyncmlMessage → SyncML DM WBXML, the element tree of encode-tree.ts written as tokens. The output mimics device
 * WBXML (libdmclient's `02 A4 01 6A 00`): WBXML 1.2, public id 0x1201, UTF-8, no string table, inline strings.
 */
import { type SyncmlNode, syncmlTree } from '../encode-tree.js';
import type { SyncmlMessage } from '../model.js';
import { ByteWriter } from './byte-writer.js';
import { GLOBAL, SYNCML12_PUBLIC_ID, SYNCML_PAGE, TAG_HAS_CONTENT, TAG_TOKENS, UTF8_MIBENUM } from './tokens.js';

const WBXML_1_2 = 0x02;

class Encoder {
  readonly out = new ByteWriter();
  private page = SYNCML_PAGE;

  constructor() {
    this.out.byte(WBXML_1_2);
    this.out.mbUInt32(SYNCML12_PUBLIC_ID);
    this.out.mbUInt32(UTF8_MIBENUM);
    this.out.mbUInt32(0);
  }

  element(node: SyncmlNode): void {
    const tag = TAG_TOKENS.get(node.name);
    if (tag === undefined) throw new TypeError(`<${node.name}> has no WBXML token in SyncML 1.2`);
    if (tag.page !== this.page) {
      this.out.byte(GLOBAL.SWITCH_PAGE);
      this.out.byte(tag.page);
      this.page = tag.page;
    }
    const { content } = node;
    const hasContent = typeof content === 'string' ? content !== '' : content.some((entry) => entry !== undefined);
    this.out.byte(hasContent ? tag.token | TAG_HAS_CONTENT : tag.token);
    if (!hasContent) return;
    if (typeof content === 'string') this.text(content);
    else for (const entry of content) if (entry) this.element(entry);
    this.out.byte(GLOBAL.END);
  }

  /** An inline string ends at NUL, so text holding one (libdmclient's `chr\0`) goes as OPAQUE UTF-8. */
  private text(value: string): void {
    if (value.includes('\0')) {
      const bytes = Buffer.from(value, 'utf8');
      this.out.byte(GLOBAL.OPAQUE);
      this.out.mbUInt32(bytes.length);
      for (const byte of bytes) this.out.byte(byte);
      return;
    }
    this.out.byte(GLOBAL.STR_I);
    this.out.utf8(value);
    this.out.byte(0);
  }
}

export function encodeSyncmlWbxml(message: SyncmlMessage): Buffer {
  const encoder = new Encoder();
  encoder.element(syncmlTree(message));
  return encoder.out.bytes();
}
