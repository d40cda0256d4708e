import { parameters, type Agent, type IncomingMessage } from 'coap';
import { setLongTimeout, type LongTimer } from '../../core/long-timer.js';
import { endedByDeadline } from '../../core/operation-end.js';
import { CoapTimeoutError, type CoapRequestSpec, type CoapResult } from '../downlink.js';
import { contentFormatNumber, optionStrings } from './coap-options.js';
import { newRequestToken } from './request-tokens.js';

/** CoAP transmission parameters for our requests (RFC 7252 §4.8). */
export interface CoapTiming {
  ackTimeoutMs: number;
  maxRetransmit: number;
}

const ACK_RANDOM_FACTOR = 1.5;

/** MAX_TRANSMIT_WAIT: from the first transmission until we give up waiting for an ACK. */
export function maxTransmitWaitMs(timing: CoapTiming): number {
  return timing.ackTimeoutMs * (2 ** (timing.maxRetransmit + 1) - 1) * ACK_RANDOM_FACTOR;
}

export interface ConfirmableRequest extends CoapRequestSpec {
  /** Address in the form the agent's socket can send to. */
  host: string;
  port: number;
  /** Prefix of `path` (alternate LwM2M root path), e.g. `/lwm2m`; '' for none. */
  rootPath?: string;
}

/** A request's answer with the message it came in (an ObserveReadStream for an accepted Observe). */
export interface ConfirmableAnswer {
  result: CoapResult;
  message: IncomingMessage;
}

export interface CallLimits {
  /** Absolute deadline, epoch ms. */
  deadline: number;
  signal?: AbortSignal;
  /** Also gives up when this aborts (a cancel: the downlink closing), without combining signals per request. */
  closing?: AbortSignal;
}

/**
 * node-coap reads ACK_TIMEOUT from its global parameters when a request is built and sent (synchronously);
 * set it for exactly that moment so other users of node-coap in this process keep their timing.
 */
function withAckTimeout<T>(ackTimeoutMs: number, build: () => T): T {
  const saved = parameters.ackTimeout;
  parameters.ackTimeout = ackTimeoutMs / 1000;
  try {
    return build();
  } finally {
    parameters.ackTimeout = saved;
  }
}

/** A received message as a CoapResult. */
export function coapResultOf(res: IncomingMessage): CoapResult {
  const locationPath = optionStrings(res, 'Location-Path');
  return {
    code: res.code,
    contentFormat: contentFormatNumber(res.headers['Content-Format']),
    payload: res.payload ?? Buffer.alloc(0),
    ...(locationPath.length > 0 ? { locationPath } : {}),
  };
}

/** Observe option as node-coap takes it: `true` registers (Observe=0), 1 cancels. */
function observeParameter(request: ConfirmableRequest, register: boolean): { observe?: true | 1 } {
  if (register) return { observe: true };
  return request.observe === 1 ? { observe: 1 } : {};
}

/**
 * Sends one CON request from the agent's socket and resolves with the response.
 * Rejects with CoapTimeoutError when no ACK arrives within MAX_TRANSMIT_WAIT, the deadline passes or the signal aborts;
 * with a plain Error when the peer answers RST or the socket fails.
 */
export async function sendConfirmable(agent: Agent, request: ConfirmableRequest, timing: CoapTiming, limits: CallLimits): Promise<CoapResult> {
  return (await exchangeConfirmable(agent, request, timing, limits, false)).result;
}

/** sendConfirmable that also gives the answer's message; `register`: send Observe=0 (node-coap then streams notifications). */
export function exchangeConfirmable(agent: Agent, request: ConfirmableRequest, timing: CoapTiming, limits: CallLimits, register: boolean): Promise<ConfirmableAnswer> {
  const waitMs = Math.min(limits.deadline - Date.now(), maxTransmitWaitMs(timing));
  if (limits.signal?.aborted || limits.closing?.aborted) return Promise.reject(new CoapTimeoutError('request cancelled before it was sent'));
  if (waitMs <= 0) return Promise.reject(new CoapTimeoutError('deadline passed before the request was sent'));

  return new Promise<ConfirmableAnswer>((resolve, reject) => {
    const pathname = `${request.rootPath ?? ''}/${request.path.join('/')}`;
    let settled = false;
    let timer: LongTimer | undefined;
    // the signal of an operation also aborts when its deadline passes: that is no answer in time, not a cancel
    const onAbort = () => giveUp(limits.signal && endedByDeadline(limits.signal) ? `no answer within ${waitMs} ms` : 'cancelled');
    const onClosing = () => giveUp('cancelled');
    const outgoing = withAckTimeout(timing.ackTimeoutMs, () => {
      const req = agent.request({
        host: request.host,
        port: request.port,
        method: request.method,
        pathname,
        query: request.query?.join('&'),
        confirmable: true,
        retrySend: timing.maxRetransmit,
        accept: request.accept,
        contentFormat: request.contentFormat,
        ...observeParameter(request, register),
        token: request.token ?? newRequestToken(),
      });
      req.on('response', (res: IncomingMessage) => {
        if (res.code === '0.00') return finish(new Error(`${request.method} ${pathname}: the device answered with RST`));
        finish(undefined, { result: coapResultOf(res), message: res });
      });
      req.on('error', (err: Error) => {
        agent.abort(req);
        finish(err);
      });
      req.end(request.payload);
      return req;
    });

    const giveUp = (reason: string) => {
      agent.abort(outgoing);
      finish(new CoapTimeoutError(`${request.method} ${pathname}: ${reason}`));
    };
    if (!settled) {
      timer = setLongTimeout(() => giveUp(`no answer within ${waitMs} ms`), waitMs);
      limits.signal?.addEventListener('abort', onAbort, { once: true });
      limits.closing?.addEventListener('abort', onClosing, { once: true });
    }

    function finish(err: Error | undefined, answer?: ConfirmableAnswer): void {
      if (settled) return;
      settled = true;
      timer?.clear();
      limits.signal?.removeEventListener('abort', onAbort);
      limits.closing?.removeEventListener('abort', onClosing);
      if (err) reject(err);
      else resolve(answer as ConfirmableAnswer);
    }
  });
}
