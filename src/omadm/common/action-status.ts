import type { ActionStatusValue } from '../../mappings/types.js';

/** m2m:status (TS-0004): what an executable attribute's action came to. */
export const ACTION_STATUS = { successful: 1, failure: 2, inProcess: 3 } as const;

/** The m2m:actionStatus attribute that reports each executable attribute's action (TS-0001 firmware / software). */
const STATUS_ATTRIBUTE: Readonly<Record<string, string>> = { ud: 'uds', in: 'ins', un: 'ins', act: 'acts', dea: 'acts' };

/** `{uds: {acn: 'ud', sus}}` for an executable attribute that has a status attribute, else nothing. */
export function actionStatusOf(executable: string, sus: number): Record<string, ActionStatusValue> {
  const attribute = STATUS_ATTRIBUTE[executable];
  return attribute ? { [attribute]: { acn: executable, sus } } : {};
}
