import { type ClientAuthDecision, type EnrolmentRule, type SignedMessage, decideClientAuth, freshNonce } from '../auth/index.js';
import type { SyncHdr } from '../codec/index.js';
import { type DmCredentialStore, type DmDeviceRecord, dm13Record } from '../../../store/dm-credential-store.js';
import type { DmSessionRecord } from './session-record.js';

export interface ClientAuthOutcome {
  decision: ClientAuthDecision;
  /** The device's stored record once it is authenticated (the server's Cred comes from it); else what was checked. */
  device: DmDeviceRecord | undefined;
}

/**
 * Checks the device's SyncHdr against its stored credentials, or those the enrolment rule gives an unknown DevId, and
 * stores what the decision asks: the NextNonce given to the device, and an enrolled device's credentials once it has
 * proved it holds the fleet secret (a device that fails leaves no credential behind; its nonce lives in the session).
 * Updates `session.auth` and `session.enrolNonce`. `signed`: the exact bytes received and their x-syncml-hmac header.
 */
export async function authenticateClient(
  credentials: DmCredentialStore,
  enrolment: EnrolmentRule,
  header: SyncHdr,
  session: DmSessionRecord,
  signed?: SignedMessage,
): Promise<ClientAuthOutcome> {
  const devId = session.devId;
  const known = await credentials.get(devId);
  // A DM 2.0 device's credentials do not authenticate SyncML: it is refused like an unknown device, and not enrolled.
  const stored = dm13Record(known);
  const enrolled = known === undefined ? enrolment(devId, header.source.locName) : undefined;
  const device: DmDeviceRecord | undefined =
    stored ?? (enrolled && { devId, ...enrolled, nonces: session.enrolNonce === undefined ? {} : { toClient: session.enrolNonce } });
  const decision = decideClientAuth({ header, signed, device, session: session.auth, nextNonce: freshNonce() });
  session.auth = decision.session;
  const nonceToClient = decision.kind === 'refuse' ? undefined : decision.nonceToClient;
  if (stored !== undefined) {
    if (nonceToClient !== undefined) await credentials.setNonces(devId, { toClient: nonceToClient });
    return { decision, device: stored };
  }
  if (enrolled === undefined) return { decision, device };
  if (decision.kind !== 'authenticated') {
    if (nonceToClient !== undefined) session.enrolNonce = nonceToClient;
    return { decision, device };
  }
  delete session.enrolNonce;
  const record = dm13Record(await credentials.putIfAbsent(devId, enrolled, nonceToClient === undefined ? {} : { toClient: nonceToClient }));
  if (record === undefined) return { decision, device };
  // Two first sessions raced and the other one stored first: this session's nonce is the one the device now holds.
  if (nonceToClient !== undefined && record.nonces.toClient !== nonceToClient) await credentials.setNonces(devId, { toClient: nonceToClient });
  return { decision, device: record };
}
