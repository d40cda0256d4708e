import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Preloaded into the bench's proxy process (`node --expose-gc --import <this> dist/src/main.js`), so the product holds
 * no bench code: on `BENCH_PROBE_PORT` (loopback) `GET /probe` answers the process's memory and the longest event loop
 * block since the previous `/probe`; `GET /probe?gc=1` collects garbage first (twice: finalizers free more).
 */
const port = Number(process.env.BENCH_PROBE_PORT);
/** How often the busy-stretch watch looks at the clocks. */
const TICK_MS = 1;

/**
 * A block measured in wall time also counts the time the OS gave the CPU to other processes (the machine is shared).
 * The process's CPU time between two ticks of a 1 ms timer tells how much of a block was the process's own work: the
 * largest such figure is its longest synchronous stretch, whatever else runs on the machine.
 */
function watchBusyStretches(): { maxCpuMs(): number; reset(): void } {
  let max = 0;
  let last = process.cpuUsage();
  setInterval(() => {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    max = Math.max(max, (used.user + used.system) / 1000);
  }, TICK_MS).unref();
  return { maxCpuMs: () => max, reset: () => void (max = 0) };
}

if (Number.isInteger(port) && port > 0) {
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const busy = watchBusyStretches();
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
    const maxEventLoopBlockCpuMs = busy.maxCpuMs();
    loopDelay.reset();
    busy.reset();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({
      rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, arrayBuffers: memory.arrayBuffers, gc: Boolean(collect),
      maxEventLoopBlockMs, maxEventLoopBlockCpuMs,
    }));
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
