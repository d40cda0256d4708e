import { Gauge, type Registry } from 'prom-client';

const NAME = 'lwm2m_queued_requests';

/** Requests waiting for their endpoint (a sleeping queue-mode device, or an earlier request to the same device), read at scrape time. */
export function registerQueuedRequestsGauge(registry: Registry, waiting: () => number): void {
  // A second adapter on the same registry leaves the first one's gauge in place rather than failing to start.
  if (registry.getSingleMetric(NAME)) return;
  new Gauge({
    name: NAME,
    help: 'LwM2M requests waiting to be sent: the queue-mode device sleeps, or an earlier request to it is in flight',
    registers: [registry],
    collect() {
      this.set(waiting());
    },
  });
}
