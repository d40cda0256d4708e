import type { Cred, SyncHdr } from '../../../src/omadm/v13/codec/index.js';
import type { DmAuthType, DmDeviceRecord } from '../../../src/store/dm-credential-store.js';

export function device(auth: DmAuthType, nonces: DmDeviceRecord['nonces'] = {}): DmDeviceRecord {
  return { devId: 'IMEI:4711', auth, client: { user: 'dmuser', secret: 'dmsecret' }, server: { id: 'proxy', secret: 'srvsecret' }, nonces };
}

export function header(cred?: Cred, verProto: SyncHdr['verProto'] = 'DM/1.2'): SyncHdr {
  return {
    verDtd: '1.2', verProto, sessionId: '1', msgId: '1',
    target: { locUri: 'http://127.0.0.1:8090/dm' }, source: { locUri: 'IMEI:4711', locName: 'dmuser' },
    ...(cred ? { cred } : {}),
  };
}

export const cred = (type: string, data: string, format: string | undefined = 'b64'): Cred => ({ meta: { type, ...(format ? { format } : {}) }, data });
