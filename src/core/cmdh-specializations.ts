/**
 * The CMDH policy specializations of `<mgmtObj>` (mgd 1011–1019): attributes, types and optionality from TS-0004
 * V3.32.0 Annex D.12 (Tables D.12.1-2 … D.12.9-2), short names from its Tables 8.2.3-x and 8.2.4-1.
 * No device object holds them: a CSE stores them (TS-0001 Annex D).
 */
import {
  anyValue, attr, bool, enumOf, field, int, intList, listOf, mgmtLinkRefList, nonEmpty, objectOf, positiveInt, range, str,
  strList, uint, type Shape, type SpecializationDefinition,
} from './attribute-model.js';

/** m2m:eventCat: 2 immediate, 3 bestEffort, 4 latest (m2m:stdEventCats) or 100–999 user-defined; m2m:eventCatWithDef adds 0 "default". */
const eventCat: Shape = range(2, 999);
const eventCatList: Shape = { ...nonEmpty(intList), minimum: 2, maximum: 999 };
const eventCatWithDefList: Shape = { ...nonEmpty(intList), minimum: 0, maximum: 999 };
/** m2m:listOfM2MID: at least one M2M identifier. */
const m2mIdList: Shape = nonEmpty(strList);
/** m2m:listOfMinMax: two xs:long, min and max in ms (-1 infinite). */
const minMax: Shape = { ...intList, minItems: 2, minimum: -1 };
/** xs:long in ms, -1 infinite. */
const millis: Shape = { ...int, minimum: -1 };

/** m2m:backOffParameters (TS-0004 Table 6.3.5.54-1); networkAction 1 cellular-registration … 5 default. */
const backOffParameters: Shape = objectOf(
  field('bops', 'backOffParametersSet', nonEmpty(listOf(
    field('nwa', 'networkAction', enumOf(1, 2, 3, 4, 5)),
    field('ibt', 'initialBackoffTime', uint),
    field('abt', 'additionalBackoffTime', uint),
    field('mbt', 'maximumBackoffTime', uint),
    field('rbt', 'optionalRandomBackoffTime', uint),
  ))),
);

/** Attributes [cmdhDefEcValue] and [cmdhLimits] share: which requests a rule applies to. */
const REQUEST_MATCH = [
  attr('od', 'order', positiveInt, 'M/O'),
  attr('ror', 'requestOrigin', m2mIdList, 'M/O'),
  attr('rct', 'requestContext', anyValue, 'O/O'),
  attr('rctn', 'requestContextNotification', bool, 'O/O'),
  attr('rch', 'requestCharacteristics', anyValue, 'O/O'),
];

/** The links a CMDH resource must carry to its sub-policies. */
const mandatoryLinks = attr('cmlk', 'mgmtLink', nonEmpty(mgmtLinkRefList), 'M/O');

export const CMDH_SPECIALIZATIONS: readonly SpecializationDefinition[] = [
  {
    type: 'cmdhPolicy', mgd: 1011, rootKey: 'm2m:cmp', conflicts: [],
    attributes: [attr('cpn', 'cmdhPolicyName', str, 'M/O'), mandatoryLinks],
  },
  {
    type: 'activeCmdhPolicy', mgd: 1012, rootKey: 'm2m:acmp', conflicts: [],
    attributes: [attr('acmlk', 'activeCmdhPolicyLink', str, 'M/O')],
  },
  {
    type: 'cmdhDefaults', mgd: 1013, rootKey: 'm2m:cmdf', conflicts: [],
    attributes: [mandatoryLinks],
  },
  {
    type: 'cmdhDefEcValue', mgd: 1014, rootKey: 'm2m:cmdv', conflicts: [],
    attributes: [REQUEST_MATCH[0], attr('dev', 'defEcValue', eventCat, 'M/O'), ...REQUEST_MATCH.slice(1)],
  },
  {
    type: 'cmdhEcDefParamValues', mgd: 1015, rootKey: 'm2m:cmpv', conflicts: [],
    attributes: [
      attr('aec', 'applicableEventCategory', eventCatWithDefList, 'M/O'),
      attr('dqet', 'defaultRequestExpTime', millis, 'M/O'),
      attr('dset', 'defaultResultExpTime', millis, 'M/O'),
      attr('doet', 'defaultOpExecTime', millis, 'M/O'),
      attr('drp', 'defaultRespPersistence', millis, 'M/O'),
      attr('dda', 'defaultDelAggregation', bool, 'M/O'),
    ],
  },
  {
    type: 'cmdhLimits', mgd: 1016, rootKey: 'm2m:cml', conflicts: [],
    attributes: [
      ...REQUEST_MATCH,
      attr('lec', 'limitsEventCategory', eventCatList, 'M/O'),
      attr('lqet', 'limitsRequestExpTime', minMax, 'M/O'),
      attr('lset', 'limitsResultExpTime', minMax, 'M/O'),
      attr('loet', 'limitsOpExecTime', minMax, 'M/O'),
      attr('lrp', 'limitsRespPersistence', minMax, 'M/O'),
      // restricted list of xs:boolean: "false", "true" or both
      attr('lda', 'limitsDelAggregation', { kind: 'list', itemKind: 'boolean', minItems: 1 }, 'M/O'),
    ],
  },
  {
    type: 'cmdhNetworkAccessRules', mgd: 1017, rootKey: 'm2m:cmnr', conflicts: [],
    attributes: [attr('aecs', 'applicableEventCategories', eventCatWithDefList, 'M/O')],
  },
  {
    type: 'cmdhNwAccessRule', mgd: 1018, rootKey: 'm2m:cmwr', conflicts: [],
    attributes: [
      attr('ttn', 'targetNetwork', m2mIdList, 'M/O'),
      attr('mrv', 'minReqVolume', uint, 'M/O'),
      attr('swt', 'spreadingWaitTime', uint, 'M/O'),
      attr('bop', 'backOffParameters', backOffParameters, 'M/O'),
      attr('ohc', 'otherConditions', anyValue, 'O/O'),
      // the link to its "allowedSchedule" <schedule>
      mandatoryLinks,
    ],
  },
  {
    type: 'cmdhBuffer', mgd: 1019, rootKey: 'm2m:cmbf', conflicts: [],
    attributes: [
      attr('aec', 'applicableEventCategory', eventCatWithDefList, 'M/O'),
      attr('mbfs', 'maxBufferSize', uint, 'M/O'),
      attr('sgp', 'storagePriority', range(1, 10), 'M/O'),
    ],
  },
];
