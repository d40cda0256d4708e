/**
 * WBXML 1.3 global tokens and the tag tokens of SyncML 1.2: code page 0 (SyncML, public id 0x1201) and code page 1
 * (MetInf, 0x1202), as the OMA SyncML RepPro / MetaInfo specifications and libwbxml number them.
 */
export const GLOBAL = {
  SWITCH_PAGE: 0x00,
  END: 0x01,
  ENTITY: 0x02,
  STR_I: 0x03,
  LITERAL: 0x04,
  EXT_I_0: 0x40,
  EXT_I_1: 0x41,
  EXT_I_2: 0x42,
  PI: 0x43,
  LITERAL_C: 0x44,
  EXT_T_0: 0x80,
  EXT_T_1: 0x81,
  EXT_T_2: 0x82,
  STR_T: 0x83,
  LITERAL_A: 0x84,
  EXT_0: 0xc0,
  EXT_1: 0xc1,
  EXT_2: 0xc2,
  OPAQUE: 0xc3,
  LITERAL_AC: 0xc4,
} as const;

/** Tag byte bits: the element has content; it has attributes. The low six bits are the tag. */
export const TAG_HAS_CONTENT = 0x40;
export const TAG_HAS_ATTRIBUTES = 0x80;
export const TAG_MASK = 0x3f;

export const SYNCML_PAGE = 0;
const METINF_PAGE = 1;

export const SYNCML12_PUBLIC_ID = 0x1201;
/** WBXML's "unknown or missing public identifier": the media type already says SyncML. */
export const UNKNOWN_PUBLIC_ID = 0x01;
export const SYNCML12_FPI = '-//SYNCML//DTD SyncML 1.2//EN';
/** IANA MIBenum of UTF-8, the only charset accepted. */
export const UTF8_MIBENUM = 106;

// Tags from 0x05 on, in token order (0x30 is reserved).
const SYNCML_TAGS = [
  'Add', 'Alert', 'Archive', 'Atomic', 'Chal', 'Cmd', 'CmdID', 'CmdRef', 'Copy', 'Cred', 'Data', 'Delete', 'Exec', 'Final', 'Get', 'Item',
  'Lang', 'LocName', 'LocURI', 'Map', 'MapItem', 'Meta', 'MsgID', 'MsgRef', 'NoResp', 'NoResults', 'Put', 'Replace', 'RespURI', 'Results',
  'Search', 'Sequence', 'SessionID', 'SftDel', 'Source', 'SourceRef', 'Status', 'Sync', 'SyncBody', 'SyncHdr', 'SyncML', 'Target',
  'TargetRef', undefined, 'VerDTD', 'VerProto', 'NumberOfChanges', 'MoreData', 'Field', 'Filter', 'Record', 'FilterType', 'SourceParent',
  'TargetParent', 'Move', 'Correlator',
];
const METINF_TAGS = [
  'Anchor', 'EMI', 'Format', 'FreeID', 'FreeMem', 'Last', 'Mark', 'MaxMsgSize', 'Mem', 'MetInf', 'Next', 'NextNonce', 'SharedMem', 'Size',
  'Type', 'Version', 'MaxObjSize', 'FieldLevel',
];
const FIRST_TAG = 0x05;

function byToken(names: Array<string | undefined>): ReadonlyMap<number, string> {
  return new Map(names.flatMap((name, index) => (name === undefined ? [] : [[FIRST_TAG + index, name] as const])));
}

/** Code page → tag token → element name. */
export const TAG_NAMES: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map([
  [SYNCML_PAGE, byToken(SYNCML_TAGS)],
  [METINF_PAGE, byToken(METINF_TAGS)],
]);

/** Element name → its code page and tag token (the names of the two pages do not overlap). */
export const TAG_TOKENS: ReadonlyMap<string, { page: number; token: number }> = new Map(
  [...TAG_NAMES].flatMap(([page, names]) => [...names].map(([token, name]) => [name, { page, token }] as const)),
);
