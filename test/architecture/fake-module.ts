import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import type { DeviceAdapter, Protocol } from '../../src/core/device-adapter.js';
import { port } from '../../src/core/setting-parsers.js';
import { bindFailure } from '../../src/core/startup-error.js';
import type { TechnologyModule } from '../../src/core/technology-module.js';
import type { ModuleDeps } from '../../src/modules.js';

/** An adapter whose device never answers: every call is recorded in `log`, then fails. */
function unreachableAdapter(protocol: Protocol, log: string[]): DeviceAdapter {
  const fail = async (operation: string): Promise<never> => {
    log.push(`${protocol} ${operation}`);
    throw new Error(`the fake ${protocol} device is unreachable`);
  };
  return {
    protocol,
    serves: () => true,
    retrieve: () => fail('retrieve'),
    retrieveAll: () => fail('retrieveAll'),
    update: () => fail('update'),
    create: () => fail('create'),
    delete: () => fail('delete'),
    resume: () => fail('resume'),
  };
}

/**
 * A tiny test-only technology module: one TCP listener `<name>-tcp` on `<NAME>_PORT` (default 0) that greets with its
 * name, `GET /admin/<name>/status`, and, given a protocol, an adapter for it. Starts and closes are recorded in `log`.
 */
export function fakeModule(name: string, log: string[], protocol?: Protocol): TechnologyModule<ModuleDeps> {
  const setting = `${name.toUpperCase()}_PORT`;
  return {
    name,
    loadSettings(env) {
      const tcpPort = port(env, setting, 0);
      return async (deps) => {
        const { host } = deps.config;
        const server = createServer((socket) => socket.end(`${name}\n`));
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(tcpPort, host, resolve);
        }).catch((error: unknown) => {
          throw bindFailure(setting, host, tcpPort, error);
        });
        log.push(`${name} started`);
        const adminRouter = Router();
        adminRouter.get('/status', (_req, res) => {
          res.json({ module: name });
        });
        return {
          adapters: protocol ? [unreachableAdapter(protocol, log)] : [],
          listeners: [{ name: `${name}-tcp`, protocol: 'tcp', host, port: (server.address() as AddressInfo).port }],
          adminRouter,
          health: () => ({ ok: true, listening: server.listening }),
          async close() {
            await new Promise<void>((resolve) => server.close(() => resolve()));
            log.push(`${name} closed`);
          },
        };
      };
    },
  };
}
