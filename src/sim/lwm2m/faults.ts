import type { DeviceAnswer, ReceivedRequest } from './coap-endpoint.js';
import { belowRoot } from './paths.js';

/** Behaviour switches, changeable at any time through `device.quirks`. */
export interface Quirks {
  /** Never answers: every incoming request datagram is lost (the sender sees a timeout). */
  silent: boolean;
  /** 2.05 answers carry a payload that does not decode in the Content-Format they announce. */
  garbagePayload: boolean;
  /** Like Wakaama: single-resource reads without Accept are answered in TLV. */
  wakaamaStyle: boolean;
  /**
   * Like lwm2m-node-lib: only single-resource text reads and writes (and Discover, Execute, Create, Delete)
   * are answered, without Content-Format; a multi-value read or any other format is never answered.
   */
  textOnly: boolean;
  /** Bootstrap-Finish answers this code (e.g. `4.06`) whatever the loaded configuration. */
  finishAnswer?: string;
}

/** A path (`/3/0/4`, with or without the alternate root path) or a predicate on the received request. */
export type RequestMatch = string | ((request: ReceivedRequest) => boolean);

export interface ForcedAnswerOptions {
  /** How many matching requests get the forced answer (default 1; Infinity for all). */
  times?: number;
  payload?: Buffer;
  contentFormat?: number;
}

export function requestMatcher(match: RequestMatch, rootPath: string): (request: ReceivedRequest) => boolean {
  if (typeof match === 'function') return match;
  return (request) => request.path === match || belowRoot(request.path, rootPath) === match;
}

/** Forced answers and dropped datagrams that tests set up to provoke each outcome at the proxy. */
export class FaultSwitches {
  private readonly forced: Array<{ matches: (request: ReceivedRequest) => boolean; answer: DeviceAnswer; remaining: number }> = [];
  private dropsLeft = 0;

  constructor(private readonly rootPath: string) {}

  forceAnswer(match: RequestMatch, code: string, options: ForcedAnswerOptions = {}): void {
    const answer: DeviceAnswer = { code, payload: options.payload, contentFormat: options.contentFormat };
    this.forced.push({ matches: requestMatcher(match, this.rootPath), answer, remaining: options.times ?? 1 });
  }

  /** The forced answer for this request, if one matches (and uses one of its turns). */
  take(request: ReceivedRequest): DeviceAnswer | undefined {
    const index = this.forced.findIndex((rule) => rule.matches(request));
    if (index < 0) return undefined;
    const rule = this.forced[index];
    if (--rule.remaining <= 0) this.forced.splice(index, 1);
    return rule.answer;
  }

  dropNext(datagrams: number): void {
    this.dropsLeft += datagrams;
  }

  /** Whether the next incoming request datagram is to be dropped (uses one drop). */
  takeDrop(): boolean {
    if (this.dropsLeft === 0) return false;
    this.dropsLeft--;
    return true;
  }

  clear(): void {
    this.forced.length = 0;
    this.dropsLeft = 0;
  }
}
