/**
 * The `<mgmtObj>` specializations the proxy serves (reference/onem2m.md §3.2–3.4): their own attributes only.
 * Of reference §3.2, registration (1020), authenticationProfile (1022), trustAnchorCred (1024), MAFClientRegCfg (1025),
 * MEFClientRegCfg (1026) and OAuth2Authentication (1027) are left out: their TS-0022 root keys and attribute short names
 * were found neither in TS-0004 nor in ACME's attribute policies.
 */
import {
  actionStatus, anyObject, attr, bool, enumOf, exec, field, int, ipAddressList, listOf, positiveInt, range, str, strList, time,
  uint, uri, uriList, type Shape, type SpecializationDefinition,
} from './attribute-model.js';
import { CMDH_SPECIALIZATIONS } from './cmdh-specializations.js';

export type { SpecializationDefinition } from './attribute-model.js';

/** m2m:scheduleEntries (TS-0004 Table 6.3.5.11-1): schedule entries such as `* 0-5 2,6,10 * * * *`, one element each. */
const scheduleEntriesList: Shape = listOf(field('sce', 'scheduleEntry', { kind: 'list', itemKind: 'string', repeatedElements: true }));
/** m2m:suid (ACME enumTypesPolicies): 1x pre-provisioned, 2x RSPF-provisioned, 3x MAF-distributed symmetric keys, 4x certificates. */
const suidList: Shape = { kind: 'list', itemKind: 'integer', values: [10, 11, 12, 13, 14, 15, 21, 22, 23, 24, 25, 32, 33, 34, 35, 40, 41, 42, 43, 44, 45] };

export const SPECIALIZATIONS: readonly SpecializationDefinition[] = [
  {
    type: 'firmware', mgd: 1001, rootKey: 'm2m:fwr', conflicts: [],
    attributes: [
      attr('vr', 'version', str, 'M/O'),
      attr('fwn', 'firmwareName', str, 'M/O'),
      attr('url', 'URL', uri, 'M/O'),
      exec('ud', 'update', 'M/O'),
      attr('uds', 'updateStatus', actionStatus, 'NP/O'),
    ],
  },
  {
    type: 'software', mgd: 1002, rootKey: 'm2m:swr', conflicts: [['in', 'un'], ['act', 'dea']],
    attributes: [
      attr('vr', 'version', str, 'M/O'),
      attr('swn', 'softwareName', str, 'M/O'),
      attr('url', 'URL', uri, 'M/O'),
      exec('in', 'install', 'NP/O'),
      exec('un', 'uninstall', 'NP/O'),
      attr('ins', 'installStatus', actionStatus, 'NP/O'),
      exec('act', 'activate', 'NP/O'),
      exec('dea', 'deactivate', 'NP/O'),
      attr('acts', 'activeStatus', actionStatus, 'NP/O'),
    ],
  },
  {
    type: 'memory', mgd: 1003, rootKey: 'm2m:mem', conflicts: [],
    attributes: [attr('mma', 'memAvailable', uint, 'M/O'), attr('mmt', 'memTotal', uint, 'M/O')],
  },
  {
    type: 'areaNwkInfo', mgd: 1004, rootKey: 'm2m:ani', conflicts: [],
    attributes: [attr('ant', 'areaNwkType', str, 'M/O'), attr('ldv', 'listOfDevices', uriList, 'O/O')],
  },
  {
    type: 'areaNwkDeviceInfo', mgd: 1005, rootKey: 'm2m:andi', conflicts: [],
    attributes: [
      attr('dvd', 'devId', str, 'M/O'),
      attr('dvt', 'devType', str, 'M/O'),
      attr('awi', 'areaNwkId', uri, 'M/O'),
      attr('sli', 'sleepInterval', uint, 'O/O'),
      attr('sld', 'sleepDuration', uint, 'O/O'),
      attr('ss', 'devStatus', str, 'O/O'),
      attr('lnh', 'listOfNeighbors', uriList, 'O/O'),
    ],
  },
  {
    type: 'battery', mgd: 1006, rootKey: 'm2m:bat', conflicts: [],
    attributes: [
      attr('btl', 'batteryLevel', range(0, 100), 'M/O'),
      // m2m:batteryStatus: 1 Normal ... 7 Unknown
      attr('bts', 'batteryStatus', enumOf(1, 2, 3, 4, 5, 6, 7), 'M/O'),
    ],
  },
  {
    type: 'deviceInfo', mgd: 1007, rootKey: 'm2m:dvi', conflicts: [],
    attributes: [
      attr('dlb', 'deviceLabel', str, 'M/O'),
      attr('man', 'manufacturer', str, 'M/NP'),
      attr('mfdl', 'manufacturerDetailsLink', str, 'O/O'),
      attr('mfd', 'manufacturingDate', time, 'O/NP'),
      attr('mod', 'model', str, 'M/NP'),
      attr('smod', 'subModel', str, 'O/NP'),
      attr('dty', 'deviceType', str, 'M/O'),
      attr('dvnm', 'deviceName', str, 'O/O'),
      attr('fwv', 'fwVersion', str, 'O/O'),
      attr('swv', 'swVersion', str, 'O/O'),
      attr('hwv', 'hwVersion', str, 'O/NP'),
      attr('osv', 'osVersion', str, 'O/O'),
      attr('cnty', 'country', str, 'O/NP'),
      attr('loc', 'location', str, 'O/O'),
      attr('syst', 'systemTime', time, 'O/O'),
      attr('spur', 'supportURL', uri, 'O/O'),
      attr('purl', 'presentationURL', uri, 'O/O'),
      attr('ptl', 'protocol', strList, 'O/O'),
    ],
  },
  {
    type: 'deviceCapability', mgd: 1008, rootKey: 'm2m:dvc', conflicts: [['ena', 'dis']],
    attributes: [
      attr('can', 'capabilityName', str, 'M/O'),
      attr('att', 'attached', bool, 'M/O'),
      attr('cas', 'capabilityActionStatus', actionStatus, 'M/O'),
      attr('cus', 'currentState', bool, 'M/O'),
      exec('ena', 'enable', 'O/O'),
      exec('dis', 'disable', 'O/O'),
    ],
  },
  {
    type: 'reboot', mgd: 1009, rootKey: 'm2m:rbo', conflicts: [['rbo', 'far']],
    attributes: [exec('rbo', 'reboot', 'O/O'), exec('far', 'factoryReset', 'O/O')],
  },
  {
    type: 'eventLog', mgd: 1010, rootKey: 'm2m:evl', conflicts: [],
    attributes: [
      // m2m:logTypeId: 1 System, 2 Security, 3 Event, 4 Trace, 5 Panic
      attr('lgt', 'logTypeId', enumOf(1, 2, 3, 4, 5), 'M/O'),
      attr('lgd', 'logData', str, 'M/O'),
      // m2m:logStatus: 1 Started, 2 Stopped, 3 Unknown, 4 Not present, 5 Error
      attr('lgst', 'logStatus', enumOf(1, 2, 3, 4, 5), 'M/O'),
      exec('lga', 'logStart', 'O/O'),
      exec('lgo', 'logStop', 'O/O'),
    ],
  },
  ...CMDH_SPECIALIZATIONS,
  {
    // TS-0022, as ACME's attribute policies define it (rpsc/mesc: lists of m2m:scheduleEntries)
    type: 'dataCollection', mgd: 1021, rootKey: 'dcfg:datc', conflicts: [],
    attributes: [
      attr('cntp', 'containerPath', str, 'M/O'),
      attr('rpsc', 'reportingSchedule', scheduleEntriesList, 'O/O'),
      attr('mesc', 'measurementSchedule', scheduleEntriesList, 'O/O'),
      attr('meil', 'measurementInterval', positiveInt, 'O/O'),
    ],
  },
  {
    // TS-0022, as ACME's attribute policies define it
    type: 'myCertFileCred', mgd: 1023, rootKey: 'dcfg:nycfc', conflicts: [],
    attributes: [
      attr('suids', 'SUIDs', suidList, 'M/O'),
      attr('mcff', 'myCertFileFormat', uri, 'M/NP'),
      attr('mcfc', 'myCertFileContent', str, 'M/NP'),
    ],
  },
  {
    type: 'wifiClient', mgd: 1028, rootKey: 'dcfg:wific', conflicts: [],
    attributes: [
      attr('ssid', 'ssid', str, 'M/O'),
      attr('wcrds', 'credentials', anyObject, 'O/O'),
      attr('maca', 'macAddress', str, 'O/O'),
      attr('chanl', 'channel', str, 'O/O'),
      attr('cons', 'connectionStatus', int, 'O/O'),
      exec('scan', 'scan', 'M/O'),
      attr('scanr', 'scanResult', strList, 'O/O'),
      exec('ud', 'update', 'O/O'),
      attr('uds', 'updateStatus', actionStatus, 'O/O'),
      exec('trdst', 'toggleRadioStatus', 'O/O'),
      attr('rdst', 'radioStatus', bool, 'O/O'),
    ],
  },
  {
    type: 'credentials', mgd: 1029, rootKey: 'dcfg:crds', conflicts: [],
    attributes: [
      attr('pur', 'purpose', str, 'O/O'),
      attr('crid', 'credentialID', str, 'O/O'),
      attr('crse', 'credentialSecret', str, 'O/O'),
      attr('crtk', 'credentialToken', str, 'O/O'),
    ],
  },
  {
    type: 'SIM', mgd: 1030, rootKey: 'dcfg:sim', conflicts: [],
    attributes: [
      attr('imsi', 'imsi', str, 'O/O'),
      attr('icid', 'iccid', str, 'M/O'),
      // 0 inactive, 1 active
      attr('sist', 'simStatus', enumOf(0, 1), 'O/O'),
      // 0 UICC, 1 eUICC removable, 2 eUICC non-removable, 3 iUICC
      attr('sity', 'simType', enumOf(0, 1, 2, 3), 'O/O'),
      attr('spn', 'serviceProviderName', str, 'O/O'),
    ],
  },
  {
    type: 'mobileNetwork', mgd: 1031, rootKey: 'dcfg:mnwk', conflicts: [],
    attributes: [
      // dcfg:cellularNetworkBearer 0 GSM ... 7 NB-IoT
      attr('cnb', 'cellularNetworkBearer', enumOf(0, 1, 2, 3, 4, 5, 6, 7), 'M/O'),
      attr('rss', 'radioSignalStrength', int, 'O/O'),
      attr('liqu', 'linkQuality', int, 'O/O'),
      // lists of m2m:ipAddress ({ip4?, ip6?}) as TS-0022 defines them, not of plain strings; apna is one string
      attr('ipad', 'ipAddresses', ipAddressList, 'O/O'),
      attr('ripa', 'routerIPAddresses', ipAddressList, 'O/O'),
      attr('apna', 'apn', str, 'O/O'),
      attr('ceid', 'cellID', uint, 'O/O'),
      attr('smnc', 'smnc', uint, 'O/O'),
      attr('smcc', 'smcc', uint, 'O/O'),
      attr('lac', 'lac', uint, 'O/O'),
      // dcfg:coverageEnhancementLevel 0 none, 1..4 = CE level 0..3
      attr('coel', 'coverageEnhancementLevel', enumOf(0, 1, 2, 3, 4), 'O/O'),
    ],
  },
];
