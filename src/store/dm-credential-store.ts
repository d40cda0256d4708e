/**
 * How a DM device and the proxy prove themselves to each other in SyncML: `syncml:auth-basic` or `syncml:auth-md5` (a
 * Cred in the SyncHdr), or `syncml:auth-MAC` (hmac: the `x-syncml-hmac` HTTP header over every message, both ways).
 */
export type DmAuthType = 'basic' | 'md5' | 'hmac';

/** A DM device's credentials as the admin API sets them; the secrets are kept as given because digests need them. */
export interface DmDeviceCredentials {
  auth: DmAuthType;
  /** What the device authenticates with (its Cred). */
  client: { user: string; secret: string };
  /** What the proxy authenticates with towards the device (the server's Cred). */
  server: { id: string; secret: string };
}

/** The last NextNonce (base64 text, as sent on the wire) each side gave the other; absent until one was given. */
export interface DmNonces {
  /** Given by the proxy in its Chal: the device's next md5 Cred (or hmac MAC) is computed over it. */
  toClient?: string;
  /** Given by the device in its Chal: the proxy's next md5 Cred (or hmac MAC) is computed over it. */
  toServer?: string;
}

export interface DmDeviceRecord extends DmDeviceCredentials {
  devId: string;
  nonces: DmNonces;
}

/** What may leave the proxy (the admin API): no secret, no nonce. */
export interface DmDeviceDescription {
  devId: string;
  auth: DmAuthType;
  client: { user: string };
  server: { id: string };
}

/**
 * A nonce change: a string sets that direction, null clears it, absent keeps it. Several directions change together or
 * not at all.
 */
export type DmNonceChange = { [K in keyof DmNonces]?: string | null };

/** Per DevId credentials and nonces of OMA DM devices. Every call is atomic; a value read is a copy. */
export interface DmCredentialStore {
  /** Sets the device's credentials; its nonces are kept. True when the device was new. */
  put(devId: string, credentials: DmDeviceCredentials): Promise<boolean>;
  /**
   * Stores the credentials only if the device has none (two first sessions of one device racing, e.g. through an
   * enrolment rule): the device's record afterwards, either the existing one or the new one.
   */
  putIfAbsent(devId: string, credentials: DmDeviceCredentials, nonces?: DmNonces): Promise<DmDeviceRecord>;
  /** With secrets and nonces: for the authentication code only, never for an answer. */
  get(devId: string): Promise<DmDeviceRecord | undefined>;
  describe(devId: string): Promise<DmDeviceDescription | undefined>;
  /** Every device, ascending by DevId in Unicode code point order. */
  list(): Promise<DmDeviceDescription[]>;
  /** True when the device existed. */
  delete(devId: string): Promise<boolean>;
  /** Changes the device's nonces in one write; false (and nothing written) for an unknown device. */
  setNonces(devId: string, change: DmNonceChange): Promise<boolean>;
}

/** The shape the admin API may show. */
export function describeDmDevice(record: DmDeviceRecord): DmDeviceDescription {
  return { devId: record.devId, auth: record.auth, client: { user: record.client.user }, server: { id: record.server.id } };
}
