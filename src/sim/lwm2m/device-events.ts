import { ContentFormat } from '../../lwm2m/formats/index.js';
import type { DeviceAnswer, ReceivedRequest } from './coap-endpoint.js';
import type { DownloadEvent } from './downloads/package-downloads.js';
import type { SimulatedDevice } from './simulated-device.js';

/** One line of `dm-proxy simulate lwm2m` output: what happened to which device, when. */
export interface SimEvent {
  event: string;
  endpoint: string;
  time: string;
  [detail: string]: unknown;
}

export type SimEventSink = (event: SimEvent) => void;

/** The longest text value a `written` event repeats. */
const MAX_SHOWN_VALUE = 200;

export function simEvent(endpoint: string, event: string, details: Record<string, unknown> = {}): SimEvent {
  return { event, endpoint, time: new Date().toISOString(), ...details };
}

/** Reports each request the device answered (read, written, executed, created, deleted, discovered), each download step and each observation's life. */
export function reportDeviceActivity(device: SimulatedDevice, sink: SimEventSink): void {
  device.on('answered', (request: ReceivedRequest, answer: DeviceAnswer) => {
    const event = operationOf(request);
    if (answer.code === 'none') return;
    const details: Record<string, unknown> = { path: request.path, code: answer.code };
    if (event === 'written' && request.contentFormat === ContentFormat.TEXT && request.payload.length <= MAX_SHOWN_VALUE) {
      details.value = request.payload.toString('utf8');
    }
    sink(simEvent(device.endpoint, event, details));
  });
  device.on('download', ({ phase, ...details }: DownloadEvent) => sink(simEvent(device.endpoint, 'download', { phase, ...details })));
  device.on('observed', (path: string) => sink(simEvent(device.endpoint, 'observed', { path })));
  device.on('observe-cancelled', (path: string, how: string) => sink(simEvent(device.endpoint, 'observe-cancelled', { path, how })));
  device.on('notified', (path: string, payload: Buffer, sequence: number) => {
    const details: Record<string, unknown> = { path, observe: sequence, bytes: payload.length };
    const text = payload.toString('latin1');
    if (payload.length <= MAX_SHOWN_VALUE && /^[\x20-\x7e]*$/.test(text)) details.value = text;
    sink(simEvent(device.endpoint, 'notified', details));
  });
}

/** The Device Management operation a request is (seed 000: the method and how deep the path goes). */
function operationOf(request: ReceivedRequest): string {
  const depth = request.path.split('/').filter((segment) => segment !== '').length;
  switch (request.method) {
    case 'GET':
      return request.accept === ContentFormat.LINK_FORMAT ? 'discovered' : 'read';
    case 'PUT':
      return request.payload.length === 0 && request.query.length > 0 ? 'attributes-written' : 'written';
    case 'POST':
      if (request.path === '/bs') return 'bootstrap-finished';
      return depth === 1 ? 'created' : depth === 2 ? 'written' : 'executed';
    case 'DELETE':
      return 'deleted';
    default:
      return request.method.toLowerCase();
  }
}
