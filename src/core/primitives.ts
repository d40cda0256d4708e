/** oneM2M request and response primitives (TS-0004 §8.1), independent of the HTTP binding. */
export enum Operation {
  Create = 1,
  Retrieve = 2,
  Update = 3,
  Delete = 4,
  Notify = 5,
}

export interface FilterCriteria {
  fu?: number;
  ty?: number[];
  lbl?: string[];
  lim?: number;
  /** `ofst`: how many matching resources to skip before the first one answered (TS-0001 Content Offset). */
  ofst?: number;
  mgd?: number[];
}

export interface ResponseTypeInfo {
  rtv: number;
  nu?: string[];
}

export interface RequestPrimitive {
  op: Operation;
  /** Target in primitive form: CSE-relative `proxy/node1`, SP-relative `/id-proxy/proxy/node1`, absolute `//sp/id-proxy/...`, or unstructured `/id-proxy/<ri>` / `<ri>`. */
  to: string;
  fr: string;
  rqi: string;
  rvi?: string;
  ty?: number;
  /** Content with short names, wrapped in its root key, e.g. `{ "m2m:nod": { ni: "x" } }`. */
  pc?: Record<string, unknown>;
  rcn?: number;
  rt?: ResponseTypeInfo;
  ot?: string;
  rqet?: string;
  rset?: string;
  oet?: string;
  ec?: string;
  vsi?: string;
  drt?: number;
  fc?: FilterCriteria;
  /** Partial retrieve: attribute short names (`atrl`). */
  atrl?: string[];
  /** Result Persistence (`rp`) as given: how long the result of a non-blocking request stays retrievable after it completes. */
  rp?: string;
  /** `rp` in ms. */
  resultPersistenceMs?: number;
  /** Epoch ms from `rset` (X-M2M-RST): after it the result is of no use. */
  resultExpiresAt?: number;
  /** Absolute deadline (epoch ms) for anything that must reach a device: from `rqet` or the configured default. */
  deadline: number;
  /** Aborted when the HTTP client goes away or the proxy shuts down. */
  signal: AbortSignal;
}

export interface ResponsePrimitive {
  rsc: number;
  rqi: string;
  /** Content with short names and root key; errors carry `{ "m2m:dbg": "..." }`. */
  pc?: Record<string, unknown>;
  /** Set on Create: the created resource's address (structured, CSE-relative). */
  contentLocation?: string;
  /** Content Status (m2m:contentStatus): 1 PARTIAL_CONTENT when the content is partial. */
  cnst?: number;
  /** Content Offset: with a partial discovery answer, the `ofst` that continues where this answer stopped. */
  cnot?: number;
  /** Vendor Information: free text, no procedure is defined for it. */
  vsi?: string;
}

export function errorResponse(rsc: number, rqi: string, dbg: string): ResponsePrimitive {
  return { rsc, rqi, pc: { 'm2m:dbg': dbg } };
}

/** Something that answers request primitives: the core of the proxy behind the binding. */
export interface RequestHandler {
  handle(req: RequestPrimitive): Promise<ResponsePrimitive>;
}
