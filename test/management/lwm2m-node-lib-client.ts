import { createRequire } from 'node:module';

/** The parts of npm `lwm2m-node-lib`'s client (LwM2M 1.0, plain text only) the tests use; it ships no types. */
interface NodeLibClient {
  init(config: unknown, callback?: () => void): void;
  registry: {
    create(objectUri: string, callback: (error?: Error) => void): void;
    setResource(objectUri: string, resourceId: string, value: string, callback: (error?: Error) => void): void;
    get(objectUri: string, callback: (error: Error | null, object: { attributes: Record<string, string> }) => void): void;
    reset(callback: () => void): void;
  };
  register(host: string, port: number, url: string | null, endpoint: string, callback: (error: Error | null, info: unknown) => void): void;
  unregister(info: unknown, callback: (error?: Error) => void): void;
}

const require = createRequire(import.meta.url);
const { client } = require('lwm2m-node-lib') as { client: NodeLibClient };
/** The client's observation handling: its notification timers run until cancelled, whatever the server says (RST included). */
const observations = require('lwm2m-node-lib/lib/services/client/read.js') as { cancelAll(callback: () => void): void };

function call<T = void>(run: (callback: (error?: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value as T))));
}

export interface NodeLibDevice {
  /** A resource as the client holds it (always text). */
  resource(objectUri: string, resourceId: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * Starts lwm2m-node-lib's client (a module-wide singleton: one per test process at a time) with the given
 * object instances and registers it with the proxy.
 */
export async function startNodeLibDevice(serverPort: number, endpoint: string, objects: Record<string, Record<string, string>>): Promise<NodeLibDevice> {
  client.init({ client: { lifetime: '600', version: '1.0', logLevel: 'FATAL', observe: { period: 3000 }, ipProtocol: 'udp4', serverProtocol: 'udp4' }, logLevel: 'FATAL' });
  await call<void>((done) => client.registry.reset(() => done()));
  for (const [objectUri, resources] of Object.entries(objects)) {
    await call((done) => client.registry.create(objectUri, done));
    for (const [resourceId, value] of Object.entries(resources)) await call((done) => client.registry.setResource(objectUri, resourceId, value, done));
  }
  const info = await call<unknown>((done) => client.register('127.0.0.1', serverPort, null, endpoint, done));
  return {
    async resource(objectUri, resourceId) {
      const object = await call<{ attributes: Record<string, string> }>((done) => client.registry.get(objectUri, done));
      return object.attributes[resourceId];
    },
    async close() {
      observations.cancelAll(() => {});
      await call((done) => client.unregister(info, done));
    },
  };
}
