/** A dispatcher over a real SQLite store in a temp dir, for tests of the layer behind the binding. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { loadConfig, type ProxyConfig } from '../../src/core/config.js';
import { AdapterRegistry } from '../../src/core/device-adapter.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { ResourceTree } from '../../src/onem2m/resources/resource-tree.js';
import { DeviceNodeDirectory } from '../../src/onem2m/resources/device-node-directory.js';
import { createDispatcher, type Dispatcher } from '../../src/onem2m/dispatcher.js';
import { StagedValuesApplier } from '../../src/onem2m/staged/staged-values-applier.js';
import { loadAccessPolicy } from '../../src/onem2m/access-control.js';
import { loadMappings } from '../../src/mappings/loader.js';
import { Operation, type RequestPrimitive, type ResponsePrimitive } from '../../src/core/primitives.js';

export type RequestInput = Partial<RequestPrimitive> & { op: Operation; to: string };

export interface TreeHarness {
  dir: string;
  config: ProxyConfig;
  store: Store;
  tree: ResourceTree;
  /** The tree as technology modules publish devices into it. */
  devices: DeviceNodeDirectory;
  adapters: AdapterRegistry;
  handler: Dispatcher;
  /** The registry of the core's metrics (staged values, pending operations...). */
  metrics: Registry;
  staged: StagedValuesApplier;
  request(input: RequestInput): Promise<ResponsePrimitive>;
  /** Closes the store and opens everything again on the same data dir (adapters stay registered). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/** `wrapResources`: what the tree sees of the resource store, e.g. one with another writer interfering. */
export async function openHarness(
  env: Record<string, string> = {}, existingDir?: string, wrapResources: (store: ResourceStore) => ResourceStore = (store) => store,
): Promise<TreeHarness> {
  const dir = existingDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tree-test-'));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });
  const logger = pino({ level: 'silent' });
  const adapters = new AdapterRegistry();
  const access = loadAccessPolicy(config);
  const loaded = loadMappings(config.mappingsDir, config.statusProfile);
  if (!loaded.ok) throw new Error(`mapping tables in ${config.mappingsDir}: ${loaded.problems.join('; ')}`);
  const mappings = { current: () => loaded.set };

  const harness = {} as TreeHarness;
  const open = async () => {
    const store = openSqliteStore(dir);
    const tree = await ResourceTree.open(wrapResources(store.resources), config);
    const metrics = new Registry();
    const handler = createDispatcher({ config, logger, metrics, tree, adapters, mappings, access, store: store.pendingOperations });
    const devices = new DeviceNodeDirectory(tree);
    const staged = new StagedValuesApplier({ tree, adapters, originator: '/id-proxy', timeoutMs: config.stagedApplyTimeoutS * 1000, logger, metrics });
    devices.onStagedValues((node) => staged.deviceBound(node));
    Object.assign(harness, { store, tree, devices, handler, metrics, staged });
    await handler.pending.resumeAll();
    staged.start((req) => handler.handleOwn(req));
  };
  await open();
  Object.assign(harness, {
    dir,
    config,
    adapters,
    request(input: RequestInput) {
      return harness.handler.handle({
        fr: 'CAdmin',
        rqi: `rqi-${++counter}`,
        deadline: Date.now() + 5000,
        signal: new AbortController().signal,
        ...input,
      });
    },
    async restart() {
      harness.staged.close();
      await harness.handler.pending.close();
      await harness.store.close();
      await open();
    },
    async close() {
      harness.staged.close();
      await harness.handler.pending.close();
      await harness.store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
  return harness;
}

/** Creates a `<node>` under the CSEBase as a CSE would and returns its attributes. */
export async function createNode(h: TreeHarness, rn: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await h.request({ op: Operation.Create, to: 'proxy', ty: 14, pc: { 'm2m:nod': { rn, ni: `ni-${rn}`, ...extra } } });
  if (response.rsc !== 2001) throw new Error(`node ${rn} not created: ${JSON.stringify(response)}`);
  return (response.pc as Record<string, Record<string, unknown>>)['m2m:nod'];
}

/** The attributes under the single root key of a response content. */
export function body(response: ResponsePrimitive): Record<string, unknown> {
  const values = Object.values(response.pc ?? {});
  if (values.length !== 1) throw new Error(`expected one root in ${JSON.stringify(response.pc)}`);
  return values[0] as Record<string, unknown>;
}
