import { Agent } from 'node:http';
import type { EchoLoadSpec } from './dm-load-spec.js';
import { httpExchange } from './http-post.js';
import { driveSessions } from './session-driver.js';

/**
 * The omadm13 and omadm20 scenarios' baseline load generator, a process of its own: `node echo-session-load.js '<EchoLoadSpec JSON>'`.
 * A session is one POST per step to `<url>/<step>` (1-based) with a body of that step's request size, each answer
 * read whole and checked for its size: the HTTP exchanges of a DM session with none of the DM work. `concurrency`
 * sessions in flight, over keep-alive connections as the subject's devices use. Prints one JSON line (SessionFigures).
 */
async function run(spec: EchoLoadSpec): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const bodies = spec.requestBytes.map((bytes) => Buffer.alloc(bytes, 'x'));
  try {
    const figures = await driveSessions(spec.concurrency, spec.sessions, spec.warmup, async () => {
      const started = performance.now();
      for (const [index, body] of bodies.entries()) {
        const answer = await httpExchange(`${spec.url}/${index + 1}`, { method: 'POST', headers: { 'content-type': 'application/vnd.syncml.dm+xml' }, body, agent, timeoutMs: spec.timeoutMs });
        if (answer.status !== 200 || answer.body.length !== spec.answerBytes[index]) {
          throw new Error(`step ${index + 1}: HTTP ${answer.status} with ${answer.body.length} bytes, not 200 with ${spec.answerBytes[index]}`);
        }
      }
      return { sessionMs: performance.now() - started };
    });
    console.log(JSON.stringify(figures));
  } finally {
    agent.destroy();
  }
}

try {
  await run(JSON.parse(process.argv[2] ?? '') as EchoLoadSpec);
} catch (error) {
  console.error(`echo session load generator: ${(error as Error).message}`);
  process.exitCode = 1;
}
