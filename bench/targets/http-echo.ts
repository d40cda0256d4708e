import { createServer } from 'node:http';

/**
 * The omadm13 and omadm20 baseline, a process of its own: a minimal node HTTP server that reads each POST to `/<step>` whole and
 * answers it with a body of that step's size (argv[2]: the JSON array of sizes, the proxy's answers in one session).
 * Prints {"listening": port}.
 */
const sizes = JSON.parse(process.argv[2] ?? '') as number[];
const answers = sizes.map((bytes) => Buffer.alloc(bytes, 'x'));
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const answer = answers[Number((req.url ?? '').slice(1)) - 1];
    if (req.method !== 'POST' || answer === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/vnd.syncml.dm+xml' }).end(answer);
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: (server.address() as { port: number }).port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
