/** The value model all LwM2M content formats decode to and encode from: a flat list of resource values. */

/** `[objectId, instanceId?, resourceId?, resourceInstanceId?]` */
export type Lwm2mPath = number[];

export interface ObjectLink {
  objectId: number;
  instanceId: number;
}

export type ResourceType = 'string' | 'integer' | 'unsigned' | 'float' | 'boolean' | 'opaque' | 'time' | 'objlnk' | 'corelnk' | 'none';

/** time is seconds since the epoch; integers beyond 2^53 decode to bigint. */
export type Lwm2mValue = string | number | bigint | boolean | Buffer | ObjectLink;

export interface ResourceValue {
  /** Full path of a single resource (length 3) or resource instance (length 4). */
  path: Lwm2mPath;
  value: Lwm2mValue;
  /** Time of the value as carried by SenML / LwM2M JSON (base time + time, seconds); absent when the payload has none. */
  time?: number;
}

/** Tells a decoder the type of a resource (TLV and text carry no type on the wire). */
export type TypeResolver = (objectId: number, resourceId: number) => ResourceType | undefined;

export class Lwm2mDecodeError extends Error {}

/** A value that cannot be written in the requested format (a subclass, so `catch (Lwm2mDecodeError)` still sees it). */
export class Lwm2mEncodeError extends Lwm2mDecodeError {}
