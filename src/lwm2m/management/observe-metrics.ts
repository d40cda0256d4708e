import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../core/logger.js';
import { metricOf } from './downlink-metrics.js';

export interface ObserveMetrics {
  /** One notification received for an observation the proxy holds. */
  notified(): void;
  /** An observation the device accepted (+1) or the proxy let go (-1). */
  active(delta: 1 | -1): void;
}

export function createObserveMetrics(registry: Registry, logger: Logger): ObserveMetrics {
  const notifications = metricOf(
    registry,
    'lwm2m_notifications_total',
    [],
    () => new Counter({ name: 'lwm2m_notifications_total', help: 'LwM2M Observe notifications received from devices', registers: [registry] }),
    logger,
  );
  const observations = metricOf(
    registry,
    'lwm2m_observations',
    [],
    () => new Gauge({ name: 'lwm2m_observations', help: 'LwM2M observations the proxy holds on devices now', registers: [registry] }),
    logger,
  );
  return {
    notified: () => notifications?.inc(),
    active: (delta) => observations?.inc(delta),
  };
}
