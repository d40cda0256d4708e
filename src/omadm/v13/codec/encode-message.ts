/** SyncmlMessage → SyncML DM XML text (the element tree of encode-tree.ts written as XML). */
import { type SyncmlNode, syncmlTree } from './encode-tree.js';
import type { SyncmlMessage } from './model.js';
import { escapeText } from './xml-text.js';

const METINF = ' xmlns="syncml:metinf"';

function write(node: SyncmlNode): string {
  const open = node.metinf ? node.name + METINF : node.name;
  let inner = '';
  if (typeof node.content === 'string') inner = escapeText(node.content);
  else for (const child of node.content) if (child) inner += write(child);
  return inner === '' ? `<${open}/>` : `<${open}>${inner}</${node.name}>`;
}

/** UTF-8 XML text; the default namespace follows VerDTD (`SYNCML:SYNCML1.2`). */
export function encodeSyncml(message: SyncmlMessage): string {
  const root = syncmlTree(message);
  let children = '';
  for (const child of root.content as SyncmlNode[]) children += write(child);
  return `<?xml version="1.0" encoding="UTF-8"?><SyncML xmlns="SYNCML:SYNCML${message.header.verDtd}">${children}</SyncML>`;
}
