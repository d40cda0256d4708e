/** What the omadm13 and omadm20 scenarios' load generators are given and print (bench/load/dm-session-load.ts, echo-session-load.ts). */

/** A bench DM device: basic auth (both ways for DM 1.3), as enrolled through /admin/omadm/devices/<DevId>. */
export interface DmBenchDevice {
  devId: string;
  /** Its `<node>`'s name under /proxy. */
  node: string;
}

export interface DmBenchCredentials {
  user: string;
  secret: string;
  serverId: string;
  serverSecret: string;
}

interface SessionRun {
  /** Measured sessions; `warmup` more go first, unmeasured. */
  sessions: number;
  warmup: number;
  /** Sessions in flight at once (the subject: one per device). */
  concurrency: number;
  /** A request (or a wait for the queue) without an answer this long fails the run. */
  timeoutMs: number;
}

/** The subject: oneM2M Retrieves queue DM commands, then a DM session serves them. */
export interface DmLoadSpec extends SessionRun {
  mode: 'calibrate' | 'measure';
  /** The device speaks SyncML DM 1.2 (bench/load/dm-bench-client.ts) or DM 2.0 JSON packages (dm2-bench-client.ts). */
  protocol: 'omadm13' | 'omadm20';
  /** The oneM2M port's base URL (Retrieves and the admin API) and the DM server's URL. */
  httpUrl: string;
  dmUrl: string;
  devices: DmBenchDevice[];
  credentials: DmBenchCredentials;
  /** mgmtObjs Retrieved before each session (measure), the DM commands they queue together, and those the session carries. */
  plan: string[];
  queued: number;
  commands: number;
  /** calibrate: the number of DM commands the plan should queue. */
  target: number;
}

/** What one oneM2M Retrieve of a mgmtObj of a DM device costs in DM commands (calibration). */
export interface MgmtObjCost {
  mgmtObj: string;
  /** DM commands the Retrieve queued before the session (0: answered without the device). */
  queued: number;
  /** DM commands the session carried for it (more than queued when the adapter follows up, e.g. an interior node's leaves). */
  commands: number;
  /** Its X-M2M-RSC. */
  rsc: string;
}

export interface DmCalibration {
  costs: MgmtObjCost[];
  plan: string[];
  queued: number;
  commands: number;
  /** Bytes of each device message and of each proxy answer in one planned session, in order. */
  requestBytes: number[];
  answerBytes: number[];
}

/** The baseline: `requestBytes.length` POSTs per session to a plain HTTP echo answering `answerBytes`. */
export interface EchoLoadSpec extends SessionRun {
  url: string;
  requestBytes: number[];
  answerBytes: number[];
}

/** One line of either load generator (measure). */
export interface SessionFigures {
  sessions: number;
  concurrency: number;
  elapsedMs: number;
  sessionsPerSec: number;
  /** First device message sent -> final answer received. */
  p50Ms: number;
  p99Ms: number;
  /** Subject only: first Retrieve sent -> every Retrieve answered (the queue wait and the session included). */
  cycleP50Ms?: number;
  cycleP99Ms?: number;
  /** Subject only: mean GETs of `queued` per session while its Retrieves were being queued. */
  pollsPerSession?: number;
}
