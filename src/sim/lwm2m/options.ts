import type { Lwm2mValue } from '../../lwm2m/formats/model.js';
import type { CoapAddress } from './accounts.js';
import { defaultFormats, type Lwm2mVersion } from './content-negotiation.js';
import type { Quirks } from './faults.js';
import type { FirmwareBehaviour, SimTiming, SoftwareBehaviour } from './objects/simulated-object.js';

export interface SimulatedDeviceOptions {
  /** Endpoint Client Name (`ep=`). */
  endpoint: string;
  /** The LwM2M Server of the factory server account (/0/1 + /1/0); `register()` goes to the account's server. */
  server?: CoapAddress;
  /** `lwm2m=` of Register (default `1.1`); `null` omits the parameter (a 1.0 client). */
  version?: Lwm2mVersion | null;
  /** `lt=`; omitted when not given. */
  lifetime?: number;
  /** `b=`; omitted when not given (unless queue mode on 1.0 makes it `UQ`). */
  binding?: string;
  /** Queue mode: `b=UQ` for 1.0, `&Q` for 1.1+. */
  queueMode?: boolean;
  /** `sms=` MSISDN. */
  sms?: string;
  /** Alternate root path (`/lwm2m`): announced with `rt="oma.lwm2m"`, and every Device Management path lives below it. */
  rootPath?: string;
  /** Content-Format for multi-value answers without Accept, announced as `ct=` on the root link and `pct=` on Bootstrap-Request. */
  preferredFormat?: number;
  /** Content-Formats the device reads and writes (default: text, opaque, TLV; plus SenML JSON and CBOR from 1.1). */
  formats?: number[];
  /**
   * Object instances (`/9/1`) or objects without instances (`/6`) the device has, besides its Security
   * instances. `/1/<i>` gives a factory server account. Default: /1/0, /3/0, /4/0, /5/0, /9/0, /15/0, /20/0.
   */
  objects?: string[];
  /** Initial values by resource path: `{ '/3/0/9': 12, '/3/0/6': [1, 5] }` (an array fills a multiple resource). */
  resources?: Record<string, Lwm2mValue | Lwm2mValue[]>;
  /** Raw query parameters appended to Register, as they are (hostile tests). */
  extraQuery?: string[];
  /** Raw Register payload instead of the object links (hostile tests). */
  registerPayload?: string | Buffer;
  /** Content-Format of the Register payload (default 40); `null` sends none, like lwm2m-node-lib. */
  linkContentFormat?: number | null;
  /** IPv4 (127.0.0.1, default) or IPv6 (::1). */
  family?: 4 | 6;
  /** How long register/update/deregister/bootstrap wait for an answer (default 5000 ms). */
  requestTimeoutMs?: number;
  /** Bootstrap-Finish answers this code (e.g. `4.06`) whatever the loaded configuration; same as `quirks.finishAnswer`. */
  finishAnswer?: string;
  /** Send an Update with the object list after Create or Delete changed the instances (default true). */
  autoUpdate?: boolean;
  quirks?: Partial<Quirks>;
  timing?: Partial<SimTiming>;
  firmware?: Partial<FirmwareBehaviour>;
  software?: SoftwareBehaviour;
}

export const DEFAULT_OBJECTS = ['/1/0', '/3/0', '/4/0', '/5/0', '/9/0', '/15/0', '/20/0'];
const DEFAULT_TIMING: SimTiming = { rebootMs: 200, downloadMs: 50, updateMs: 50, installMs: 50 };

type Defaulted = 'version' | 'rootPath' | 'formats' | 'objects' | 'resources' | 'extraQuery' | 'family' | 'requestTimeoutMs' | 'autoUpdate' | 'queueMode' | 'software';

/** Options with every default filled in. */
export type ResolvedOptions = Omit<SimulatedDeviceOptions, 'quirks' | 'timing' | 'firmware'> &
  Required<Pick<SimulatedDeviceOptions, Defaulted>> & { quirks: Quirks; timing: SimTiming; firmware: FirmwareBehaviour };

export function resolveOptions(options: SimulatedDeviceOptions): ResolvedOptions {
  const version = options.version === undefined ? '1.1' : options.version;
  return {
    ...options,
    version,
    rootPath: (options.rootPath ?? '').replace(/\/+$/, ''),
    formats: options.formats ?? defaultFormats(version),
    objects: options.objects ?? DEFAULT_OBJECTS,
    resources: options.resources ?? {},
    extraQuery: options.extraQuery ?? [],
    family: options.family ?? 4,
    requestTimeoutMs: options.requestTimeoutMs ?? 5000,
    autoUpdate: options.autoUpdate ?? true,
    queueMode: options.queueMode ?? false,
    quirks: { silent: false, garbagePayload: false, wakaamaStyle: false, textOnly: false, ...options.quirks, finishAnswer: options.finishAnswer ?? options.quirks?.finishAnswer },
    timing: { ...DEFAULT_TIMING, ...options.timing },
    firmware: { newVersion: '1.1.0', ...options.firmware },
    software: { ...options.software },
  };
}

export function loopback(family: 4 | 6): string {
  return family === 6 ? '::1' : '127.0.0.1';
}
