import { Counter, type Registry } from 'prom-client';

type NotificationOutcome = 'delivered' | 'retried' | 'undeliverable';

const NAME = 'onem2m_result_notifications_total';

/** Counts per target: each delivery, each failed attempt that will be retried, each target given up. */
export function resultNotificationCounter(registry: Registry): Counter<'outcome'> {
  const existing = registry.getSingleMetric(NAME) as Counter<'outcome'> | undefined;
  return existing ?? new Counter({
    name: NAME,
    help: 'Result notifications of non-blocking asynchronous requests, per target: delivered, retried after a failed attempt, given up (undeliverable)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
}
