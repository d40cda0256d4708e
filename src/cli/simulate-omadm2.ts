import { parseArgs } from 'node:util';
import { DEFAULT_DM2_SERVER, type Dm2DeviceOptions, SimulatedDm2Device } from '../sim/omadm2/index.js';
import type { DmSimEvent } from '../sim/omadm/index.js';
import type { CliIo } from './mappings-command.js';
import { runDmDevice } from './run-dm-device.js';

export const OMADM2_USAGE = `Usage:
  dm-proxy simulate omadm2 --devid <id> [--server http://host:port/dm2] [--user <u> --secret <s>]
                           [--auth basic|digest] [--poll <s>] [--notify-port <port>] [--fumo async|sync]
                           [--server-id <id>] [--server-secret <s>]

  Runs a simulated OMA DM 2.0 device (MO instances DevInfo, FUMO, SCOMO, LAWMO, DiagMon; JSON packages over HTTP)
  until Ctrl-C. It opens a session (ClientInitiatedMgmt) at start and, with --poll, every <s> seconds after the last
  one ended; an EXEC's asynchronous result opens one (to the EXEC's ServerURI when it named one).
  --devid          DevInfo/DevID and the OMADM-DevID header, e.g. IMEI:4711
  --server         the DM 2.0 server (default ${DEFAULT_DM2_SERVER})
  --user/--secret  the device's HTTP credentials; without them it sends no Authorization
  --auth           basic (default: sent with every request) or digest (answers the 401 challenge; MD5 or SHA-256)
  --fumo           FUMO DownloadAndUpdate without a ServerURI: async = 202 then a Generic Alert (default), sync = 200
  --poll           seconds between sessions; without it an unreachable server is retried (2 s, doubling up to 30 s)
  --notify-port    take DM 2.0 package 0 (POST, as a push gateway delivers it) on this 127.0.0.1 port and open a
                   server-initiated session (ServerInitiatedMgmt with its NOTIFICATION-ID); 0 picks a free port
  --server-id      the SERVER-ID a package 0 must name (default dm-proxy)
  --server-secret  the DM Account's Noti AuthSecret: package 0 needs a right SHA256-DIGEST and a TIMESTAMP within
                   300 s, and is taken once (without it package 0 is taken unchecked)

  One JSON line per event on stdout: session-started, session-ended, authenticated, challenged, command (cmd, uri,
  status), firmware, generic-alert-sent, generic-alert-delivered, subscription-reported, rebooted ...

Exit status: 0 stopped by Ctrl-C (SIGINT) or SIGTERM, 1 the server refused the device's credentials, 2 usage error.`;

const OPTIONS = {
  devid: { type: 'string' },
  server: { type: 'string' },
  user: { type: 'string' },
  secret: { type: 'string' },
  auth: { type: 'string' },
  poll: { type: 'string' },
  'notify-port': { type: 'string' },
  'server-id': { type: 'string' },
  'server-secret': { type: 'string' },
  fumo: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

class UsageError extends Error {}

/** `dm-proxy simulate omadm2 …`; resolves with the exit status once stopSignal (or an authentication refusal) stopped the device. */
export async function runOmadm2Simulation(args: string[], io: CliIo, stopSignal: AbortSignal): Promise<number> {
  let options: Dm2DeviceOptions;
  let poll: number | undefined;
  let notifyPort: number | undefined;
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    if (values.help) {
      io.out(OMADM2_USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    options = deviceOptions(values);
    poll = values.poll === undefined ? undefined : wholeNumber('--poll', values.poll, 1, 2 ** 31 / 1000, 'a whole number of seconds from 1');
    notifyPort = values['notify-port'] === undefined ? undefined : wholeNumber('--notify-port', values['notify-port'], 0, 65535, 'a port number (0 picks a free one)');
  } catch (error) {
    io.err(`dm-proxy simulate omadm2: ${(error as Error).message}\n\n${OMADM2_USAGE}`);
    return 2;
  }

  const device = new SimulatedDm2Device({ ...options, sink: (event: DmSimEvent) => io.out(JSON.stringify(event)) });
  return runDmDevice('simulate omadm2', options.devId, device, { poll, notifyPort }, io, stopSignal);
}

function deviceOptions(values: Values): Dm2DeviceOptions {
  if (values.auth !== undefined && values.auth !== 'basic' && values.auth !== 'digest') throw new UsageError(`--auth must be basic or digest, got "${values.auth}"`);
  if (values.fumo !== undefined && values.fumo !== 'async' && values.fumo !== 'sync') throw new UsageError(`--fumo must be async or sync, got "${values.fumo}"`);
  if (!values.devid) throw new UsageError('--devid is required');
  if ((values.user === undefined) !== (values.secret === undefined)) throw new UsageError('give --user and --secret together');
  if (values.auth !== undefined && values.user === undefined) throw new UsageError('--auth needs --user and --secret');
  const server = values.server ?? DEFAULT_DM2_SERVER;
  if (!/^https?:\/\/[^/]+/.test(server) || !URL.canParse(server)) throw new UsageError(`--server must be an http:// or https:// URL, got "${server}"`);
  return {
    devId: values.devid,
    server,
    auth: values.auth as 'basic' | 'digest' | undefined,
    user: values.user,
    secret: values.secret,
    exec: values.fumo === undefined ? {} : { fumo: values.fumo as 'async' | 'sync' },
    ...(values['server-id'] === undefined ? {} : { serverId: values['server-id'] }),
    ...(values['server-secret'] === undefined ? {} : { serverSecret: values['server-secret'] }),
  };
}

function wholeNumber(flag: string, text: string, min: number, max: number, what: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`${flag} must be ${what}, got "${text}"`);
  return value;
}
