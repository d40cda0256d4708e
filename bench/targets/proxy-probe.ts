import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Preloaded into the bench's proxy process (`node --expose-gc --import <this> dist/src/main.js`), so the product holds
 * no bench code: on `BENCH_PROBE_PORT` (loopback) `GET /probe` answers the process's memory and the longest event loop
 * block since the previous `/probe`; `GET /probe?gc=1` collects garbage first (twice: finalizers free more).
 */
const port = Number(process.env.BENCH_PROBE_PORT);
if (Number.isInteger(port) && port > 0) {
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://probe');
    if (url.pathname !== '/probe') {
      res.writeHead(404).end();
      return;
    }
    const collect = (globalThis as { gc?: () => void }).gc;
    if (url.searchParams.get('gc') === '1' && collect) {
      collect();
      collect();
    }
    const memory = process.memoryUsage();
    const maxEventLoopBlockMs = loopDelay.max / 1e6;
    loopDelay.reset();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers, gc: Boolean(collect), maxEventLoopBlockMs }));
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
