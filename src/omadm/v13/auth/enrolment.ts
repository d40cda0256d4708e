import type { DmDeviceCredentials } from '../../../store/dm-credential-store.js';
import { invalidSetting } from '../../../core/startup-error.js';
import { globMatcher } from './glob-pattern.js';

/** The enrolment settings as the module's settings.ts reads them (DM_ENROL_DEVID, DM_ENROL_SECRET). */
export interface EnrolmentSettings {
  /** A `*` glob over DevIds; undefined: no enrolment. */
  devIdPattern?: string;
  secret?: string;
  /** The proxy's DM server id (what the devices' DMAcc ServerID holds). */
  serverId: string;
}

/**
 * The credentials an unknown device gets, or undefined when the rule does not let it in. `locName`: the Source/LocName
 * of its SyncHdr (the user name clients put there for md5).
 */
export type EnrolmentRule = (devId: string, locName?: string) => DmDeviceCredentials | undefined;

/** A fleet secret is every enrolled device's secret: too short and it can be guessed offline from one md5 Cred. */
export const MIN_ENROL_SECRET_LENGTH = 16;

const NO_ENROLMENT: EnrolmentRule = () => undefined;

/**
 * Pure; throws a StartupError naming the setting when only one of the two is set or the secret is short. A matching
 * unknown device gets md5 both ways (basic would put the fleet secret on the wire) with the fleet secret on both
 * sides, its LocName (else its DevId) as user name and `serverId` as the server's.
 */
export function enrolmentRule(settings: EnrolmentSettings): EnrolmentRule {
  const { devIdPattern, secret, serverId } = settings;
  if (devIdPattern === undefined && secret === undefined) return NO_ENROLMENT;
  if (devIdPattern === undefined) throw invalidSetting('DM_ENROL_DEVID', '', 'a DevId pattern such as IMEI:35*, set together with DM_ENROL_SECRET');
  if (secret === undefined) throw invalidSetting('DM_ENROL_SECRET', '', `a secret of at least ${MIN_ENROL_SECRET_LENGTH} characters, set together with DM_ENROL_DEVID`);
  if (secret.length < MIN_ENROL_SECRET_LENGTH) throw invalidSetting('DM_ENROL_SECRET', '(hidden)', `at least ${MIN_ENROL_SECRET_LENGTH} characters`);
  const matches = globMatcher(devIdPattern);
  return (devId, locName) => {
    if (devId === '' || !matches(devId)) return undefined;
    return { auth: 'md5', client: { user: locName || devId, secret }, server: { id: serverId, secret } };
  };
}
