import { percentile, rounded } from '../stats.js';
import { coapSender } from './coap-load.js';
import { httpSender } from './http-load.js';
import type { LoadFigures, LoadSpec, LoadTarget, SendRequest } from './load-spec.js';

/**
 * The bench's load generator, a process of its own: `node load-generator.js '<LoadSpec JSON>'` sends `warmup` then
 * `requests` requests, `concurrency` at a time, round-robin over the targets, and prints one JSON line (LoadFigures).
 * Any failed request fails the run (exit 1, the reason on stderr).
 */
async function run(spec: LoadSpec): Promise<LoadFigures> {
  const sender = senderFor(spec);
  try {
    await drive(sender.send, spec.warmup, spec.concurrency, spec.targets.length);
    const durations: number[] = [];
    const start = performance.now();
    await drive(sender.send, spec.requests, spec.concurrency, spec.targets.length, durations);
    const elapsedMs = performance.now() - start;
    durations.sort((a, b) => a - b);
    return {
      requests: spec.requests,
      concurrency: spec.concurrency,
      elapsedMs: rounded(elapsedMs),
      rps: rounded((spec.requests * 1000) / elapsedMs, 1),
      p50Ms: rounded(percentile(durations, 0.5)),
      p99Ms: rounded(percentile(durations, 0.99)),
    };
  } finally {
    sender.close();
  }
}

function senderFor(spec: LoadSpec): { send: SendRequest; close(): void } {
  const http = spec.targets.filter((target): target is Extract<LoadTarget, { kind: 'http' }> => target.kind === 'http');
  const coap = spec.targets.filter((target): target is Extract<LoadTarget, { kind: 'coap' }> => target.kind === 'coap');
  if (spec.targets.length === 0 || (http.length > 0 && coap.length > 0)) throw new Error('give one or more targets, all http or all coap');
  return http.length > 0 ? httpSender(http, spec.concurrency, spec.timeoutMs) : coapSender(coap, spec.timeoutMs);
}

/** `count` requests, `concurrency` workers each taking the next one; request i goes to target i % targets. */
async function drive(send: SendRequest, count: number, concurrency: number, targets: number, durations?: number[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const before = performance.now();
      await send(index % targets);
      durations?.push(performance.now() - before);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

try {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  console.log(JSON.stringify(await run(spec)));
} catch (error) {
  console.error(`load generator: ${(error as Error).message}`);
  process.exitCode = 1;
}
