import { isDeepStrictEqual } from 'node:util';
import type { StoredResource } from '../../store/resource-store.js';
import type { ResourceTree } from '../resources/resource-tree.js';
import { desiredValues, REFUSED_LABEL_PREFIX, STAGED_LABEL, withLabel, withoutLabels } from '../resources/held-values.js';

/** What became of a mgmtObj's staged values once its device bound. */
export interface StagedOutcome {
  /** No device object is mapped to its specialization: the proxy holds its values for good. */
  held: boolean;
  /** Written, or already the device's. */
  applied: string[];
  refused: string[];
}

/**
 * The mgmtObj with the outcome recorded (undefined: nothing changes): applied and refused values leave the desired
 * ones (unless the CSE gave another value meanwhile, `tried` being what was tried), refused ones are labelled
 * `staged-refused:<attr>`, and the `staged` label goes with the last desired value.
 */
export function settledMgmtObj(tree: ResourceTree, latest: StoredResource, tried: Record<string, unknown>, outcome: StagedOutcome): StoredResource | undefined {
  const desired = { ...desiredValues(latest) };
  const ended = outcome.held ? Object.keys(desired) : [...outcome.applied, ...outcome.refused];
  for (const attribute of ended) if (outcome.held || isDeepStrictEqual(desired[attribute], tried[attribute])) delete desired[attribute];
  const stillStaged = Object.keys(desired).length > 0;

  const refusedNow = new Set(outcome.refused.filter((attribute) => !(attribute in desired)));
  let lbl = withoutLabels(latest.attrs.lbl, (label) =>
    (label === STAGED_LABEL && !stillStaged) || (label.startsWith(REFUSED_LABEL_PREFIX) && outcome.applied.includes(label.slice(REFUSED_LABEL_PREFIX.length))));
  for (const attribute of refusedNow) lbl = withLabel(lbl, `${REFUSED_LABEL_PREFIX}${attribute}`);

  const { desired: _before, ...internal } = latest.internal;
  const settled: StoredResource = {
    ...tree.withChanges(latest, { lbl: lbl.length > 0 ? lbl : undefined }),
    internal: { ...internal, ...(stillStaged ? { desired } : {}), ...(outcome.held ? { held: true } : {}) },
  };
  if (settled.attrs.lbl === undefined) delete settled.attrs.lbl;
  return isDeepStrictEqual(settled.attrs.lbl, latest.attrs.lbl) && isDeepStrictEqual(settled.internal, latest.internal) ? undefined : settled;
}
