import type { Lwm2mPath, ResourceValue, TypeResolver } from './model.js';

/** One LwM2M content format: decoders throw Lwm2mDecodeError only, encoders Lwm2mEncodeError. */
export interface FormatCodec {
  /** Carries several resource values (object, instance, multiple resource), not just one. */
  readonly multiValue: boolean;
  decode(payload: Buffer, requestPath: Lwm2mPath, types: TypeResolver): ResourceValue[];
  encode(values: ResourceValue[], requestPath: Lwm2mPath, types: TypeResolver): Buffer;
}
