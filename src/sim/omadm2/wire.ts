/**
 * The DM 2.0 wire format as the simulated device speaks it (reference §2): JSON packages over HTTP, MO data as the
 * JSON MO serialisation (an array of {DDF?, ClientURI, CV?, MOData}), Generic Alerts as JSON objects.
 */
export const DM2_MEDIA = {
  initiation: 'application/vnd.oma.dm.initiation+json',
  request: 'application/vnd.oma.dm.request+json',
  response: 'application/vnd.oma.dm.response+json',
  /** MO data in HGET/HPUT/HPOST/SUB bodies: the reference names no media type for the JSON MO serialisation. */
  moData: 'application/json',
} as const;

export const DEVID_HEADER = 'OMADM-DevID';
/** The server's supported MIME types for HPUT/HPOST data (same syntax as Accept). */
export const OMADM_ACCEPT_HEADER = 'OMADM-Accept';

export const DM2_ALERT = {
  clientInitiated: 'urn:oma:at:dm:2.0:ClientInitiatedMgmt',
  serverInitiated: 'urn:oma:at:dm:2.0:ServerInitiatedMgmt',
  bootstrapComplete: 'urn:oma:at:dm:2.0:BootstrapComplete',
} as const;

export interface Dm2Alert {
  AlertType: string;
  SourceURI?: string;
  TargetURI?: string;
  Mark?: string;
  DataType?: string;
  Data?: Record<string, unknown>;
}

export interface MosEntry {
  DDF?: string;
  MOID: string;
  MIID: string[];
}

export interface Package1 {
  MOS: MosEntry[];
  Alert: Dm2Alert[];
}

/** A leaf value as text, or an interior node as an object of its children. */
export type MoValue = string | { [child: string]: MoValue };

export interface MoDataEntry {
  DDF?: string;
  ClientURI: string;
  CV?: string;
  /** One key: the name of the node ClientURI addresses (the MO root's name for an instance). */
  MOData: { [name: string]: MoValue };
}

export interface StatusEntry {
  sc: number;
  URI?: string[];
  /** GET: the data, as MO data entries. */
  Data?: MoDataEntry[];
}

export interface Package3 {
  Status: StatusEntry[];
  Alert?: Dm2Alert[];
}

/** Package 2 as received: every command an array of strings, name first. */
export type Dm2Command = string[];

/** The commands of a package 2 body, or why it is none. */
export function parsePackage2(text: string): { commands: Dm2Command[] } | { error: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { error: `package 2 is no JSON: ${(error as Error).message}` };
  }
  const list = (body as { CMD?: unknown } | null)?.CMD;
  if (!Array.isArray(list)) return { error: 'package 2 has no CMD array' };
  if (!list.every((command) => Array.isArray(command) && command.length > 0 && command.every((part) => typeof part === 'string'))) {
    return { error: 'every CMD entry must be a non-empty array of strings' };
  }
  return { commands: list as Dm2Command[] };
}

/** Whether a Content-Type header names `media` (parameters ignored). */
export function isMedia(contentType: string | null | undefined, media: string): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === media;
}

export function isJsonMedia(contentType: string | null | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}
