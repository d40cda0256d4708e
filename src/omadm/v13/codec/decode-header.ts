/** SyncHdr → typed header; VerDTD and VerProto checked (505 / 513, the RepPro codes for an unsupported version). */
import { SyncmlDecodeError } from './decode-error.js';
import { child, decodeCred, decodeLocation, has, optionalMeta, optionalText, requiredText, structureError } from './decode-parts.js';
import type { SyncHdr, VerDtd, VerProto } from './model.js';
import type { XmlElement } from './xml-tree.js';

const VER_DTD: ReadonlySet<string> = new Set<VerDtd>(['1.2', '1.3']);
const VER_PROTO: ReadonlySet<string> = new Set<VerProto>(['DM/1.2', 'DM/1.3']);

function location(header: XmlElement, name: 'Target' | 'Source') {
  const found = child(header, name);
  if (!found) throw structureError(`<SyncHdr> has no <${name}>`);
  return decodeLocation(found);
}

export function decodeHeader(element: XmlElement): SyncHdr {
  const verDtd = requiredText(element, 'VerDTD');
  const verProto = requiredText(element, 'VerProto');
  const header: SyncHdr = {
    verDtd: verDtd as VerDtd,
    verProto: verProto as VerProto,
    sessionId: requiredText(element, 'SessionID'),
    msgId: requiredText(element, 'MsgID'),
    target: location(element, 'Target'),
    source: location(element, 'Source'),
  };
  const respUri = optionalText(element, 'RespURI');
  if (respUri !== undefined) header.respUri = respUri;
  if (has(element, 'NoResp')) header.noResp = true;
  const cred = child(element, 'Cred');
  if (cred) header.cred = decodeCred(cred);
  const meta = optionalMeta(element);
  if (meta) header.meta = meta;
  // Checked last, so the error carries a header the server can answer with a SyncML Status.
  if (!VER_DTD.has(verDtd)) {
    throw new SyncmlDecodeError('version', `VerDTD "${verDtd.slice(0, 20)}" is not supported (1.2 or 1.3)`, 505, header);
  }
  if (!VER_PROTO.has(verProto)) {
    throw new SyncmlDecodeError('version', `VerProto "${verProto.slice(0, 20)}" is not supported (DM/1.2 or DM/1.3)`, 513, header);
  }
  return header;
}
