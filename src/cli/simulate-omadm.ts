import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_DM_SERVER, DEFAULT_SERVER_ID, type DmDeviceOptions, type DmSimEvent, SimulatedDmDevice } from '../sim/omadm/index.js';
import type { CliIo } from './mappings-command.js';
import { runDmDevice } from './run-dm-device.js';

export const OMADM_USAGE = `Usage:
  dm-proxy simulate omadm --devid <id> [--server http(s)://host:port/dm] [--ca <file>] [--version 1.2|1.3]
                          [--user <u> --secret <s>] [--auth basic|md5|hmac] [--server-secret <s2>] [--server-id <id>]
                          [--wbxml] [--poll <s>] [--notify-port <port>] [--fumo async|sync] [--max-obj-size <bytes>]

  Runs a simulated OMA DM 1.2/1.3 device (DevInfo, DevDetail, FUMO, SCOMO, LAWMO reboot, DiagMon memory and battery)
  until Ctrl-C. It opens a management session (Alert 1201) at start and, with --poll, every <s> seconds after the
  last one ended; a finished asynchronous operation (firmware update) opens one with its Generic Alert.
  --devid          DevInfo/DevId, e.g. IMEI:4711
  --server         the DM server (default ${DEFAULT_DM_SERVER}); https:// when the proxy has DM_TLS_CERT
  --ca             with an https --server: trust its certificate when it chains to this CA (PEM file), e.g. the
                   proxy's self-signed DM_TLS_CERT; without it the system's CAs
  --version        DM/1.2 (default) or DM/1.3
  --user/--secret  the device's credentials; without them it sends no Cred
  --auth           the Cred type, basic or md5 (default md5); hmac: no Cred, an x-syncml-hmac header over every message
  --server-secret  check the server's Cred with this secret (user: --server-id, default ${DEFAULT_SERVER_ID}); with
                   hmac the signature (x-syncml-hmac) of every answer
  --wbxml          post SyncML as WBXML (application/vnd.syncml.dm+wbxml) instead of XML
  --fumo           FUMO DownloadAndUpdate: async = 202 then a Generic Alert (default), sync = 200 at once
  --max-obj-size   announce this MaxObjSize and support large objects (DevDetail/LrgObj true): Results bigger than
                   the server's MaxMsgSize go in chunks, chunked Replace/Add are taken (213 per chunk, 424 on a size
                   mismatch, 413 over this size); without it the device has none, as libdmclient
  --poll           seconds between sessions; without it an unreachable server is retried (2 s, doubling up to 30 s)
  --notify-port    take package 0 notifications (POST, as a push gateway delivers them) on this 127.0.0.1 port and
                   open a server-initiated session (Alert 1200) for each whose digest is right; 0 picks a free port

  One JSON line per event on stdout: session-started, session-ended, authenticated, challenged, command (cmd, path,
  status), firmware, generic-alert-sent, generic-alert-delivered, rebooted ...

Exit status: 0 stopped by Ctrl-C (SIGINT) or SIGTERM, 1 the server refused the device's credentials, 2 usage error.`;

const OPTIONS = {
  devid: { type: 'string' },
  server: { type: 'string' },
  ca: { type: 'string' },
  version: { type: 'string' },
  user: { type: 'string' },
  secret: { type: 'string' },
  auth: { type: 'string' },
  'server-secret': { type: 'string' },
  'server-id': { type: 'string' },
  wbxml: { type: 'boolean' },
  poll: { type: 'string' },
  'notify-port': { type: 'string' },
  fumo: { type: 'string' },
  'max-obj-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

class UsageError extends Error {}

/** `dm-proxy simulate omadm …`; resolves with the exit status once stopSignal (or an authentication refusal) stopped the device. */
export async function runOmadmSimulation(args: string[], io: CliIo, stopSignal: AbortSignal): Promise<number> {
  let options: DmDeviceOptions;
  let poll: number | undefined;
  let notifyPort: number | undefined;
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    if (values.help) {
      io.out(OMADM_USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    options = deviceOptions(values);
    poll = values.poll === undefined ? undefined : positiveInteger('--poll', values.poll);
    notifyPort = values['notify-port'] === undefined ? undefined : portNumber('--notify-port', values['notify-port']);
  } catch (error) {
    io.err(`dm-proxy simulate omadm: ${(error as Error).message}\n\n${OMADM_USAGE}`);
    return 2;
  }

  const device = new SimulatedDmDevice({ ...options, sink: (event: DmSimEvent) => io.out(JSON.stringify(event)) });
  return runDmDevice('simulate omadm', options.devId, device, { poll, notifyPort }, io, stopSignal);
}

function deviceOptions(values: Values): DmDeviceOptions {
  if (values.auth !== undefined && values.auth !== 'basic' && values.auth !== 'md5' && values.auth !== 'hmac') throw new UsageError(`--auth must be basic, md5 or hmac, got "${values.auth}"`);
  if (values.version !== undefined && values.version !== '1.2' && values.version !== '1.3') throw new UsageError(`--version must be 1.2 or 1.3, got "${values.version}"`);
  if (values.fumo !== undefined && values.fumo !== 'async' && values.fumo !== 'sync') throw new UsageError(`--fumo must be async or sync, got "${values.fumo}"`);
  if (!values.devid) throw new UsageError('--devid is required');
  if ((values.user === undefined) !== (values.secret === undefined)) throw new UsageError('give --user and --secret together');
  if (values.auth !== undefined && values.user === undefined) throw new UsageError('--auth needs --user and --secret');
  const server = values.server ?? DEFAULT_DM_SERVER;
  if (!/^https?:\/\/[^/]+/.test(server) || !URL.canParse(server)) throw new UsageError(`--server must be an http:// or https:// URL, got "${server}"`);
  return {
    devId: values.devid,
    server,
    version: values.version as '1.2' | '1.3' | undefined,
    auth: values.auth as 'basic' | 'md5' | 'hmac' | undefined,
    user: values.user,
    secret: values.secret,
    serverSecret: values['server-secret'],
    serverId: values['server-id'],
    encoding: values.wbxml ? 'wbxml' : 'xml',
    exec: values.fumo === undefined ? {} : { fumo: values.fumo as 'async' | 'sync' },
    ...(values['max-obj-size'] === undefined ? {} : { maxObjSize: byteCount('--max-obj-size', values['max-obj-size']) }),
    ...(values.ca === undefined ? {} : { ca: caFile(values.ca, server) }),
  };
}

function caFile(file: string, server: string): Buffer {
  if (!server.startsWith('https:')) throw new UsageError(`--ca is for an https:// --server, got "${server}"`);
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    throw new UsageError(`--ca ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${file} is not a PEM certificate`);
  return pem;
}

function byteCount(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 2 ** 31) throw new UsageError(`${flag} must be a number of bytes from 1, got "${text}"`);
  return value;
}

function portNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new UsageError(`${flag} must be a port number (0 picks a free one), got "${text}"`);
  return value;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 2 ** 31 / 1000) throw new UsageError(`${flag} must be a whole number of seconds from 1, got "${text}"`);
  return value;
}
