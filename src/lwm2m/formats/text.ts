/** Plain text (0, old 1541): one resource value as UTF-8 text; opaque as base64, booleans 0/1, object links `oid:iid`. */
import type { FormatCodec } from './codec.js';
import { formatPath } from './path.js';
import { checkSingleValueTarget, singleValue } from './single-value.js';
import { decodeBase64, decodeUtf8, encodingType, formatObjectLink, parseObjectLink, typedNumber } from './values.js';
import { Lwm2mDecodeError, type Lwm2mPath, type Lwm2mValue, type ObjectLink, type ResourceType, type ResourceValue, type TypeResolver } from './model.js';

const INTEGER = /^[+-]?[0-9]{1,20}$/;
const FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?$/;
const BOOLEANS: Record<string, boolean> = { '0': false, '1': true, false: false, true: true };

function parseText(text: string, type: ResourceType | undefined, path: Lwm2mPath): Lwm2mValue {
  const invalid = () => new Lwm2mDecodeError(`${formatPath(path)}: ${JSON.stringify(text.slice(0, 40))} is not a valid ${type} value`);
  switch (type) {
    case 'integer':
    case 'unsigned':
    case 'time':
      if (!INTEGER.test(text)) throw invalid();
      return typedNumber(BigInt(text), type, path);
    case 'float':
      if (!FLOAT.test(text)) throw invalid();
      return Number(text);
    case 'boolean':
      if (!(text in BOOLEANS)) throw invalid();
      return BOOLEANS[text];
    case 'objlnk':
      return parseObjectLink(text);
    case 'opaque':
      return decodeBase64(text, formatPath(path));
    default:
      return text;
  }
}

function decode(payload: Buffer, requestPath: Lwm2mPath, types: TypeResolver): ResourceValue[] {
  checkSingleValueTarget(requestPath, 'plain text');
  const text = decodeUtf8(payload, `${formatPath(requestPath)}: text`);
  return [{ path: requestPath, value: parseText(text, types(requestPath[0], requestPath[2]), requestPath) }];
}

function encode(values: ResourceValue[], requestPath: Lwm2mPath, types: TypeResolver): Buffer {
  const entry = singleValue(values, requestPath, 'plain text');
  const type = encodingType(entry, types);
  const value = entry.value;
  switch (type) {
    case 'boolean':
      return Buffer.from(value ? '1' : '0');
    case 'objlnk':
      return Buffer.from(formatObjectLink(value as ObjectLink));
    case 'opaque':
      return Buffer.from((value as Buffer).toString('base64'));
    case 'none':
      return Buffer.alloc(0);
    default:
      return Buffer.from(String(value), 'utf8');
  }
}

export const textCodec: FormatCodec = { multiValue: false, decode, encode };
