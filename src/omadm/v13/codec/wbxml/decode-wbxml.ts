/** A SyncML DM WBXML message → SyncmlMessage, through the element tree the XML decoder reads; every refusal is a SyncmlDecodeError. */
import { checkMessageSize, decodeSyncmlTree } from '../decode-message.js';
import { child } from '../decode-parts.js';
import { sameFormat } from '../formats.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../limits.js';
import type { SyncmlMessage } from '../model.js';
import { BINARY_DATA_MARK, type XmlElement } from '../xml-tree.js';
import { wbxmlError } from './byte-reader.js';
import { type WbxmlTree, parseWbxmlTree } from './wbxml-tree.js';

const textElement = (name: string, text: string): XmlElement => ({ name, attributes: {}, text, children: [] });

function formatOf(element: XmlElement | undefined): XmlElement | undefined {
  const meta = element && child(element, 'Meta');
  return meta && child(meta, 'Format');
}

/** Makes the Item say Format b64 itself (the command's Meta may speak for other Items too). */
function markB64(item: XmlElement): void {
  const format = formatOf(item);
  if (format) {
    format.text = 'b64';
    return;
  }
  const meta = child(item, 'Meta');
  if (meta) meta.children.push(textElement('Format', 'b64'));
  else item.children.push({ name: 'Meta', attributes: {}, text: '', children: [textElement('Format', 'b64')] });
}

/**
 * Data of Format bin sent as OPAQUE is binary: the model carries it as base64 text with Format b64, as an XML device
 * must send it, so one model serves both encodings (reference §1.6: over WBXML binary travels as bin or b64).
 */
function binaryDataToB64(tree: WbxmlTree, element: XmlElement, command: XmlElement | undefined): void {
  for (const entry of element.children) {
    if (entry.name === 'Item') {
      const data = child(entry, 'Data');
      const bytes = data && tree.opaque.get(data);
      if (data && bytes && sameFormat((formatOf(entry) ?? formatOf(command))?.text.trim(), 'bin')) {
        data.text = Buffer.from(bytes).toString('base64');
        data.attributes = { ...data.attributes, [BINARY_DATA_MARK]: '1' };
        tree.binary.delete(data);
        markB64(entry);
      }
    } else if (entry.children.length > 0) {
      binaryDataToB64(tree, entry, entry);
    }
  }
}

export function decodeSyncmlWbxml(input: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): SyncmlMessage {
  checkMessageSize(input.length, limits);
  const tree = parseWbxmlTree(input, limits);
  binaryDataToB64(tree, tree.root, undefined);
  const [binary] = tree.binary;
  if (binary) throw wbxmlError(`the OPAQUE content of <${binary.name}> is not UTF-8 text (binary data travels as a Data of Format bin)`);
  return decodeSyncmlTree(tree.root, limits);
}
