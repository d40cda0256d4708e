import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../../core/logger.js';

export interface DownlinkMetrics {
  /** One finished (or abandoned) downlink request: `code` is the CoAP code or the transport outcome. */
  record(operation: string, code: string, seconds?: number): void;
  /** A read that joined an identical one waiting for the same device: answered without a request of its own. */
  joined(operation: string): void;
}

type Metric = Counter<string> | Gauge<string> | Histogram<string>;

/**
 * The registered metric of this name, a new one when there is none (a second adapter on the same registry reuses it),
 * or undefined when the name is taken by a metric with other labels (reported, never crashed on).
 */
export function metricOf<T extends Metric>(registry: Registry, name: string, labelNames: string[], create: () => T, logger: Logger): T | undefined {
  const existing = registry.getSingleMetric(name) as (T & { labelNames?: string[] }) | undefined;
  if (!existing) return create();
  if (labelNames.every((label) => existing.labelNames?.includes(label))) return existing;
  logger.error({ metric: name, labelNames }, 'a metric of this name with other labels is already registered; it will not count LwM2M downlink requests');
  return undefined;
}

export function createDownlinkMetrics(registry: Registry, logger: Logger): DownlinkMetrics {
  const requestLabels = ['operation', 'code'];
  const requests = metricOf(
    registry,
    'lwm2m_downlink_requests_total',
    requestLabels,
    () =>
      new Counter({
        name: 'lwm2m_downlink_requests_total',
        help: 'LwM2M requests to devices by operation and outcome (CoAP code, timeout, not-registered, sleeping)',
        labelNames: requestLabels,
        registers: [registry],
      }),
    logger,
  );
  const duration = metricOf(
    registry,
    'lwm2m_downlink_duration_seconds',
    ['operation'],
    () =>
      new Histogram({
        name: 'lwm2m_downlink_duration_seconds',
        help: 'Time from sending an LwM2M request to a device until its answer or time-out',
        labelNames: ['operation'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers: [registry],
      }),
    logger,
  );
  const joined = metricOf(
    registry,
    'lwm2m_downlink_joined_reads_total',
    ['operation'],
    () =>
      new Counter({
        name: 'lwm2m_downlink_joined_reads_total',
        help: 'LwM2M reads that joined an identical read waiting for the same device: answered by its exchange, no request of their own',
        labelNames: ['operation'],
        registers: [registry],
      }),
    logger,
  );
  return {
    joined(operation) {
      joined?.inc({ operation });
    },
    record(operation, code, seconds) {
      requests?.inc({ operation, code });
      if (seconds !== undefined) duration?.observe({ operation }, seconds);
    },
  };
}
