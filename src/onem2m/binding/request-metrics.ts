import { Counter, Histogram, type Registry } from 'prom-client';

export interface RequestMetrics {
  observe(operation: string, rsc: number, seconds: number): void;
}

/** Reuses metrics already registered on the registry, so a second server on one registry does not throw. */
function registered<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function createRequestMetrics(registry: Registry): RequestMetrics {
  const requests = registered(registry, 'onem2m_requests_total', () => new Counter({
    name: 'onem2m_requests_total',
    help: 'oneM2M requests answered, by operation and response status code',
    labelNames: ['operation', 'rsc'] as const,
    registers: [registry],
  }));
  const duration = registered(registry, 'onem2m_request_duration_seconds', () => new Histogram({
    name: 'onem2m_request_duration_seconds',
    help: 'Time to answer a oneM2M request, by operation',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
    registers: [registry],
  }));
  // prom-client hashes the labels on every call: the per-label children are looked up once
  const counted = new Map<string, { inc(): void }>();
  const timed = new Map<string, { observe(value: number): void }>();
  return {
    observe(operation, rsc, seconds) {
      const key = `${operation} ${rsc}`;
      let counter = counted.get(key);
      if (counter === undefined) counted.set(key, (counter = requests.labels({ operation, rsc: String(rsc) })));
      counter.inc();
      let histogram = timed.get(operation);
      if (histogram === undefined) timed.set(operation, (histogram = duration.labels({ operation })));
      histogram.observe(seconds);
    },
  };
}
