/** Shared rules of the single-value formats (text, opaque, CBOR 60): the request names one resource (instance). */
import { checkEncodedPath, formatPath, isValuePath } from './path.js';
import { Lwm2mDecodeError, Lwm2mEncodeError, type Lwm2mPath, type ResourceValue } from './model.js';

export function checkSingleValueTarget(requestPath: Lwm2mPath, format: string): void {
  if (!isValuePath(requestPath)) {
    throw new Lwm2mDecodeError(`${format} carries one resource value; ${formatPath(requestPath)} is not a resource path`);
  }
}

/** The one value to encode: exactly one, at the request path itself. */
export function singleValue(values: ResourceValue[], requestPath: Lwm2mPath, format: string): ResourceValue {
  if (values.length !== 1) throw new Lwm2mEncodeError(`${format} carries exactly one resource value, ${values.length} given`);
  checkEncodedPath(values[0].path, requestPath);
  if (values[0].path.length !== requestPath.length) {
    throw new Lwm2mEncodeError(`${format} value ${formatPath(values[0].path)} must be at the request path ${formatPath(requestPath)}`);
  }
  return values[0];
}
