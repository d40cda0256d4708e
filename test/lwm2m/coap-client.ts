import { execFile } from 'node:child_process';

/** One request with Debian's libcoap3 `coap-client-notls`, the way an operator would hand-craft it. */
export interface CoapClientRequest {
  method: 'get' | 'post' | 'put' | 'delete' | 'fetch';
  /** `coap://127.0.0.1:5683/rd?ep=x&lt=60` */
  uri: string;
  /** Content-Format number (`-t`); omitted = no Content-Format option. */
  contentFormat?: number;
  payload?: string;
}

export interface CoapClientAnswer {
  code: string;
  locationPath: string[];
  /** Everything the tool logged, for assertion messages. */
  log: string;
}

/** Runs the tool verbosely (`-v 6` logs every PDU) and reads the code and Location-Path of the answer PDU. */
export function coapClient(request: CoapClientRequest): Promise<CoapClientAnswer> {
  const args = ['-v', '6', '-B', '5', '-m', request.method];
  if (request.contentFormat !== undefined) args.push('-t', String(request.contentFormat));
  if (request.payload !== undefined) args.push('-e', request.payload);
  args.push(request.uri);
  return new Promise((resolve, reject) => {
    execFile('coap-client-notls', args, { timeout: 10_000 }, (error, stdout, stderr) => {
      const log = `${stdout}${stderr}`;
      const answer = log.split('\n').find((line) => /\bc:\d\.\d\d\b/.test(line));
      if (!answer) return reject(new Error(`no CoAP answer (${error?.message ?? 'tool ended'}):\n${log}`));
      resolve({
        code: /\bc:(\d\.\d\d)\b/.exec(answer)![1],
        locationPath: [...answer.matchAll(/Location-Path:([^,\s\]]+)/g)].map((match) => match[1]),
        log,
      });
    });
  });
}
