/**
 * How a DM device and the proxy prove themselves to each other in SyncML: `syncml:auth-basic` or `syncml:auth-md5` (a
 * Cred in the SyncHdr), or `syncml:auth-MAC` (hmac: the `x-syncml-hmac` HTTP header over every message, both ways).
 */
export type DmAuthType = 'basic' | 'md5' | 'hmac';

/** How a DM 2.0 device proves itself: HTTP authentication on every package (RFC 7617 Basic, RFC 7616 Digest). */
export type Dm2AuthType = 'basic' | 'digest';

/** The DM protocol version a device speaks: 1.3 covers 1.2 and 1.3 (SyncML), 2.0 is JSON over HTTP. */
export type DmVersion = '1.3' | '2.0';

/** A DM 1.2/1.3 device's credentials as the admin API sets them; the secrets are kept as given because digests need them. */
export interface DmDeviceCredentials {
  /** Absent: 1.3. */
  version?: '1.3';
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

/**
 * A DM 2.0 device's credentials: the device authenticates over HTTP; the proxy authenticates to it by TLS. `server`
 * (optional) serves only package 0: its SERVER-ID and the secret of its SHA256-DIGEST (the device's DM Account
 * Noti AuthSecret); without it the device cannot be woken.
 */
export interface Dm2DeviceCredentials {
  version: '2.0';
  auth: Dm2AuthType;
  client: { user: string; secret: string };
  server?: { id: string; secret: string };
}

/** Credentials of either version. */
export type AnyDmDeviceCredentials = DmDeviceCredentials | Dm2DeviceCredentials;

export interface DmDeviceRecord extends DmDeviceCredentials {
  devId: string;
  nonces: DmNonces;
}

export interface Dm2DeviceRecord extends Dm2DeviceCredentials {
  devId: string;
}

export type AnyDmDeviceRecord = DmDeviceRecord | Dm2DeviceRecord;

/** What may leave the proxy (the admin API): no secret, no nonce. */
export type DmDeviceDescription =
  | { devId: string; version: '1.3'; auth: DmAuthType; client: { user: string }; server: { id: string } }
  | { devId: string; version: '2.0'; auth: Dm2AuthType; client: { user: string }; server?: { id: string } };

/** The record when it is a DM 1.2/1.3 device's (the SyncML side never sees a DM 2.0 device's). */
export function dm13Record(record: AnyDmDeviceRecord | undefined): DmDeviceRecord | undefined {
  return record === undefined || record.version === '2.0' ? undefined : record;
}

/** The record when it is a DM 2.0 device's. */
export function dm2Record(record: AnyDmDeviceRecord | undefined): Dm2DeviceRecord | undefined {
  return record?.version === '2.0' ? record : undefined;
}

/**
 * A nonce change: a string sets that direction, null clears it, absent keeps it. Several directions change together or
 * not at all.
 */
export type DmNonceChange = { [K in keyof DmNonces]?: string | null };

/** Per DevId credentials and nonces of OMA DM devices. Every call is atomic; a value read is a copy. */
export interface DmCredentialStore {
  /** Sets the device's credentials; its nonces are kept. True when the device was new. */
  put(devId: string, credentials: AnyDmDeviceCredentials): Promise<boolean>;
  /**
   * Stores the credentials only if the device has none (two first sessions of one device racing, e.g. through an
   * enrolment rule): the device's record afterwards, either the existing one or the new one.
   */
  putIfAbsent(devId: string, credentials: AnyDmDeviceCredentials, nonces?: DmNonces): Promise<AnyDmDeviceRecord>;
  /** With secrets and nonces: for the authentication code only, never for an answer. */
  get(devId: string): Promise<AnyDmDeviceRecord | undefined>;
  describe(devId: string): Promise<DmDeviceDescription | undefined>;
  /** Every device, ascending by DevId in Unicode code point order. */
  list(): Promise<DmDeviceDescription[]>;
  /** True when the device existed. */
  delete(devId: string): Promise<boolean>;
  /** Changes the device's nonces in one write; false (and nothing written) for an unknown device. */
  setNonces(devId: string, change: DmNonceChange): Promise<boolean>;
}

/** The shape the admin API may show. */
export function describeDmDevice(record: AnyDmDeviceRecord): DmDeviceDescription {
  if (record.version === '2.0') {
    const described: DmDeviceDescription = { devId: record.devId, version: '2.0', auth: record.auth, client: { user: record.client.user } };
    return record.server === undefined ? described : { ...described, server: { id: record.server.id } };
  }
  return { devId: record.devId, version: '1.3', auth: record.auth, client: { user: record.client.user }, server: { id: record.server.id } };
}
