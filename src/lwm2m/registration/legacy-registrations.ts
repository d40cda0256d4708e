import type { Store } from '../../store/store.js';
import { REGISTRATION_KIND, expiresAt, type Registration } from './registration.js';

/** Where versions before the registration store kept registrations: generic records, key = endpoint. */
const LEGACY_RECORD_KIND = 'lwm2m.registration';

/** Moves registrations a data directory holds from an older version into the registration store, once. */
export async function adoptLegacyRegistrations(store: Store): Promise<void> {
  const legacy = store.records<Registration>(LEGACY_RECORD_KIND);
  const registrations = store.registrations<Registration>(REGISTRATION_KIND);
  for (const { key, value } of await legacy.list()) {
    await registrations.put(value, expiresAt(value, 0));
    await legacy.delete(key);
  }
}
