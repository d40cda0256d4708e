import type { Lwm2mValue } from '../../lwm2m/formats/model.js';
import { bootstrapAccount, FACTORY_SHORT_SERVER_ID, serverAccount } from './accounts.js';
import type { ObjectStore } from './object-store.js';
import type { DeviceContext, SimulatedObject } from './objects/simulated-object.js';
import { loopback, type ResolvedOptions } from './options.js';
import { parsePath } from '../../lwm2m/formats/path.js';

const DEFAULT_LIFETIME = 86400;
const DEFAULT_BOOTSTRAP_PORT = 5685;
const DEFAULT_SERVER_PORT = 5683;

/**
 * The device's data as it leaves the factory: a bootstrap account (/0/0), a server account per `/1/<i>`
 * (Security /0/<i+1> and Server /1/<i>, Short Server ID 101+i), the listed object instances with their
 * defaults, then the resource overrides.
 */
export function loadFactoryState(store: ObjectStore, options: ResolvedOptions, objects: ReadonlyMap<number, SimulatedObject>, context: DeviceContext): void {
  const host = loopback(options.family);
  store.putInstance(0, 0, bootstrapAccount({ host, port: DEFAULT_BOOTSTRAP_PORT }));
  store.addObject(1);
  for (const entry of options.objects) {
    const path = parsePath(entry);
    if (!path || path.length < 1 || path.length > 2 || path[0] === 0) throw new Error(`simulated device: bad object instance '${entry}'`);
    const [objectId, instanceId] = path;
    store.addObject(objectId);
    if (instanceId === undefined) continue;
    if (objectId === 1) {
      const account = serverAccount(options.server ?? { host, port: DEFAULT_SERVER_PORT }, options.lifetime ?? DEFAULT_LIFETIME, FACTORY_SHORT_SERVER_ID + instanceId);
      store.putInstance(0, instanceId + 1, account.security);
      store.putInstance(1, instanceId, account.server);
    } else {
      store.putInstance(objectId, instanceId, objects.get(objectId)?.defaults(instanceId, context) ?? new Map());
    }
  }
  for (const [entry, value] of Object.entries(options.resources)) {
    const path = parsePath(entry);
    if (!path || path.length !== 3 || !store.set(path[0], path[1], path[2], toContent(value))) {
      throw new Error(`simulated device: no instance for resource '${entry}'`);
    }
  }
}

function toContent(value: Lwm2mValue | Lwm2mValue[]): Lwm2mValue | Map<number, Lwm2mValue> {
  return Array.isArray(value) ? new Map(value.map((item, index) => [index, item])) : value;
}
