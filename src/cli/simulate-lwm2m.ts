import { parseArgs } from 'node:util';
import { parseCoapUri, type CoapAddress } from '../sim/lwm2m/accounts.js';
import type { SimEvent } from '../sim/lwm2m/device-events.js';
import { RunningDevice } from '../sim/lwm2m/running-device.js';
import type { CliIo } from './mappings-command.js';

export const LWM2M_USAGE = `Usage:
  dm-proxy simulate lwm2m --endpoint <ep> [--server coap://host:port] [--bootstrap coap://host:port]
                          [--lifetime <s>] [--queue-mode] [--count <n>]

  Runs simulated LwM2M devices (objects /1 /3 /4 /5 /9 /15 /20) until Ctrl-C, then de-registers them.
  --endpoint    endpoint client name, e.g. urn:imei:4711; with --count the devices are <ep>-1 … <ep>-<n>
  --server      the LwM2M Server to register with (default coap://127.0.0.1:5683)
  --bootstrap   bootstrap from this Bootstrap Server first, then register where it says (instead of --server)
  --lifetime    registration lifetime in seconds (default 60); an Update goes out every half lifetime
  --queue-mode  register in queue mode (the device stays reachable)
  --count       how many devices (default 1, at most 1000)

  A firmware (/5/0/1) or software (/9/<i>/3) Package URI written to a device is fetched over http, https or
  coap; sim:<name> completes the download at once. One JSON line per event on stdout: registered, updated,
  deregistered, read, written, executed, created, deleted, download, observed, notified, observe-cancelled,
  unreachable ...
  While the server does not answer, each device reports "unreachable" and retries (every 2 s, up to 30 s).

Exit status: 0 stopped by Ctrl-C (SIGINT) or SIGTERM, 1 a server refused a device or bootstrap failed,
2 usage error.`;

const DEFAULT_SERVER = 'coap://127.0.0.1:5683';
const DEFAULT_LIFETIME_S = 60;
const MAX_COUNT = 1000;

const OPTIONS = {
  endpoint: { type: 'string' },
  server: { type: 'string' },
  bootstrap: { type: 'string' },
  lifetime: { type: 'string' },
  'queue-mode': { type: 'boolean' },
  count: { type: 'string' },
  'psk-identity': { type: 'string' },
  'psk-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Lwm2mRun {
  endpoints: string[];
  server: CoapAddress;
  bootstrap?: CoapAddress;
  lifetime: number;
  queueMode: boolean;
}

class UsageError extends Error {}

/** `dm-proxy simulate lwm2m …`; resolves with the exit status after stopSignal (or a fatal refusal) stopped every device. */
export async function runLwm2mSimulation(args: string[], io: CliIo, stopSignal: AbortSignal): Promise<number> {
  let run: Lwm2mRun;
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    if (values.help) {
      io.out(LWM2M_USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    run = lwm2mRun(values);
  } catch (error) {
    io.err(`dm-proxy simulate lwm2m: ${(error as Error).message}\n\n${LWM2M_USAGE}`);
    return 2;
  }

  const print = (event: SimEvent): void => io.out(JSON.stringify(event));
  let fatal: string | undefined;
  const stop = new AbortController();
  const stopped = new Promise<void>((resolve) => {
    if (stopSignal.aborted || stop.signal.aborted) return resolve();
    stopSignal.addEventListener('abort', () => resolve(), { once: true });
    stop.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const onFatal = (reason: string): void => {
    fatal ??= reason;
    stop.abort();
  };
  const started = await Promise.allSettled(
    run.endpoints.map((endpoint) =>
      RunningDevice.start({ endpoint, server: run.server, bootstrap: run.bootstrap, lifetime: run.lifetime, queueMode: run.queueMode, sink: print, onFatal }),
    ),
  );
  const devices = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failedStart = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failedStart) onFatal(`cannot start a simulated device: ${String(failedStart.reason)}`);
  await stopped;
  await Promise.all(devices.map((device) => device.stop()));
  if (fatal) io.err(`dm-proxy simulate lwm2m: ${fatal}`);
  return fatal ? 1 : 0;
}

function lwm2mRun(values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean }): Lwm2mRun {
  if (values['psk-identity'] !== undefined || values['psk-key'] !== undefined) {
    throw new UsageError('--psk-identity / --psk-key: DTLS is not supported yet, the simulator speaks plain CoAP (NoSec)');
  }
  const endpoint = values.endpoint;
  if (!endpoint) throw new UsageError('--endpoint is required');
  if (values.server !== undefined && values.bootstrap !== undefined) throw new UsageError('give --server or --bootstrap, not both (the Bootstrap Server names the server)');
  const count = positiveInteger('--count', values.count ?? '1', MAX_COUNT);
  return {
    endpoints: count === 1 && values.count === undefined ? [endpoint] : Array.from({ length: count }, (_, index) => `${endpoint}-${index + 1}`),
    server: coapAddress('--server', values.server ?? DEFAULT_SERVER),
    bootstrap: values.bootstrap === undefined ? undefined : coapAddress('--bootstrap', values.bootstrap),
    lifetime: positiveInteger('--lifetime', values.lifetime ?? String(DEFAULT_LIFETIME_S), 2 ** 31 - 1),
    queueMode: values['queue-mode'] ?? false,
  };
}

function coapAddress(flag: string, uri: string): CoapAddress {
  const address = parseCoapUri(uri);
  if (!address || address.host === '' || !(address.port > 0 && address.port < 65536)) throw new UsageError(`${flag} must be a coap://host:port URI, got "${uri}"`);
  return address;
}

function positiveInteger(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got "${text}"`);
  return value;
}
