import { Counter, Gauge, type Registry } from 'prom-client';

export type ListenerName = 'server' | 'bootstrap';

/** The LwM2M part's Prometheus metrics, registered on the proxy's registry. */
export interface Lwm2mMetrics {
  /** Datagrams rejected before CoAP handling, by listener and reason. */
  malformed: Counter<'listener' | 'reason'>;
  /** Registration interface requests by operation and CoAP response code. */
  registrationRequests: Counter<'operation' | 'code'>;
  registrations: Gauge;
  bootstrapRequests: Counter<'code'>;
  bootstrapSessions: Counter<'result'>;
  /** LwM2M Send (`POST /dp`) by CoAP response code. */
  sendRequests: Counter<'code'>;
}

export function createLwm2mMetrics(registry: Registry): Lwm2mMetrics {
  const registers = [registry];
  return {
    malformed: new Counter({
      name: 'lwm2m_malformed_messages_total',
      help: 'CoAP datagrams rejected as malformed, oversized or unsupported before processing',
      labelNames: ['listener', 'reason'],
      registers,
    }),
    registrationRequests: new Counter({
      name: 'lwm2m_registration_requests_total',
      help: 'LwM2M Register / Update / De-register requests by response code',
      labelNames: ['operation', 'code'],
      registers,
    }),
    registrations: new Gauge({ name: 'lwm2m_registrations', help: 'Current LwM2M registrations', registers }),
    bootstrapRequests: new Counter({
      name: 'lwm2m_bootstrap_requests_total',
      help: 'LwM2M Bootstrap-Request (and bspack) requests by response code',
      labelNames: ['code'],
      registers,
    }),
    bootstrapSessions: new Counter({
      name: 'lwm2m_bootstrap_sessions_total',
      help: 'Bootstrap sessions by result',
      labelNames: ['result'],
      registers,
    }),
    sendRequests: new Counter({
      name: 'lwm2m_send_requests_total',
      help: 'LwM2M Send requests by response code',
      labelNames: ['code'],
      registers,
    }),
  };
}
