import { openSync, readSync } from 'node:fs';
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
 * The main thread's CPU time in ms: its run time from Linux's /proc/thread-self/schedstat (opened from the main thread,
 * re-read in place, a few µs); elsewhere the whole process's CPU time, which also counts GC and compiler threads.
 */
function mainThreadCpuClock(): () => number {
  try {
    const fd = openSync('/proc/thread-self/schedstat', 'r');
    const buffer = Buffer.alloc(64);
    const read = () => Number(buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0)).split(' ')[0]) / 1e6;
    if (Number.isFinite(read())) return read;
  } catch {
    // no such file: not Linux, or no scheduler statistics
  }
  return () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
}

/**
 * A block measured in wall time also counts the time the OS gave the CPU to other processes (the machine is shared).
 * The main thread's CPU time between two ticks of a 1 ms timer tells how much of a block was the process's own work:
 * the largest such figure is its longest synchronous stretch, whatever else runs on the machine.
 */
function watchBusyStretches(): { maxCpuMs(): number; reset(): void } {
  const cpuMs = mainThreadCpuClock();
  let max = 0;
  let last = cpuMs();
  setInterval(() => {
    const now = cpuMs();
    max = Math.max(max, now - last);
    last = now;
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
      rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers, gc: Boolean(collect),
      maxEventLoopBlockMs, maxEventLoopBlockCpuMs,
    }));
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
