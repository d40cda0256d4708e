import type { MgmtObjCost } from './dm-load-spec.js';

export interface DmPlan {
  /** mgmtObjs to Retrieve, each once. */
  plan: string[];
  /** DM commands they queue before the session, and those the session carries. */
  queued: number;
  commands: number;
}

/**
 * Distinct mgmtObjs (a second Retrieve of one may share the commands already waiting) whose Retrieves make a session of
 * `target` DM commands, else of the closest number (the larger one of two as close); the fewest Retrieves among equals.
 * Only Retrieves that answered 2000 through the device count; among equals, the earlier mgmtObjs of `costs`.
 */
export function choosePlan(costs: MgmtObjCost[], target: number): DmPlan {
  const usable = costs.filter((cost) => cost.rsc === '2000' && cost.queued > 0);
  let best: DmPlan = { plan: [], queued: 0, commands: 0 };
  const rank = (plan: DmPlan): [number, number, number] => [Math.abs(plan.commands - target), -plan.commands, plan.plan.length];
  for (let subset = 1; subset < 1 << usable.length; subset++) {
    const chosen = usable.filter((_, index) => (subset >> index) & 1);
    const candidate = {
      plan: chosen.map((cost) => cost.mgmtObj),
      queued: chosen.reduce((sum, cost) => sum + cost.queued, 0),
      commands: chosen.reduce((sum, cost) => sum + cost.commands, 0),
    };
    if (best.plan.length === 0 || lexicallyBefore(rank(candidate), rank(best))) best = candidate;
  }
  return best;
}

function lexicallyBefore(a: number[], b: number[]): boolean {
  const index = a.findIndex((value, i) => value !== b[i]);
  return index >= 0 && a[index] < b[index];
}
