import type { Agent, IncomingMessage } from 'coap';
import type { CoapResult, ObserveResult } from '../downlink.js';
import { coapResultOf, exchangeConfirmable, type CallLimits, type CoapTiming, type ConfirmableRequest } from './confirmable-request.js';

/** node-coap answers an Observe request with an ObserveReadStream: every notification is a 'data' event, `close()` forgets the token. */
interface ObserveStream extends IncomingMessage {
  close(eagerDeregister?: boolean): void;
}

function isObserveStream(message: IncomingMessage): message is ObserveStream {
  const candidate = message as unknown as { close?: unknown; append?: unknown };
  return typeof candidate.close === 'function' && typeof candidate.append === 'function';
}

/**
 * Sends GET with Observe=0 from the agent's socket. When the device answers 2.05 with an Observe option the observation
 * stands: each later notification (node-coap drops stale and duplicate ones, RFC 7641 §3.4) goes to `onNotification`
 * with the message's code and Content-Format, until `forget()`. A stream that breaks sends code `broken` once.
 */
export async function observeConfirmable(
  agent: Agent,
  request: ConfirmableRequest,
  timing: CoapTiming,
  limits: CallLimits,
  onNotification: (notification: CoapResult) => void,
): Promise<ObserveResult> {
  const { result, message } = await exchangeConfirmable(agent, request, timing, limits, true);
  if (!isObserveStream(message)) return result;
  const accepted = result.code === '2.05' && typeof message.headers.Observe === 'number';
  if (!accepted) {
    message.close();
    return result;
  }
  let first = true;
  message.on('data', (payload: Buffer) => {
    // the stream pushes the first answer too: that one is `result`
    if (first) {
      first = false;
      return;
    }
    onNotification({ ...coapResultOf(message), payload });
  });
  // a broken stream ends the observation: the caller hears it as an ending (not 2.xx) and lets it go
  message.on('error', () => {
    message.close();
    onNotification({ code: 'broken', payload: Buffer.alloc(0) });
  });
  const token = (message as unknown as { _packet?: { token?: Buffer } })._packet?.token ?? Buffer.alloc(0);
  return { ...result, observation: { token, forget: () => message.close() } };
}
