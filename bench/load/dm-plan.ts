import type { MgmtObjCost } from './dm-load-spec.js';

export interface DmPlan {
  /** mgmtObjs to Retrieve, one request each (a mgmtObj may appear twice). */
  plan: string[];
  /** DM commands they queue before the session, and those the session carries. */
  queued: number;
  commands: number;
}

/**
 * Retrieves whose DM commands make a session of `target` commands, else of the closest number (the larger one of two
 * as close); among those, the fewest repeated mgmtObjs, then the fewest Retrieves, then the earlier mgmtObjs of `costs`.
 * Only Retrieves that answered 2000 through the device count.
 */
export function choosePlan(costs: MgmtObjCost[], target: number): DmPlan {
  const usable = costs.filter((cost) => cost.rsc === '2000' && cost.queued > 0);
  let best: { plan: DmPlan; rank: number[] } | undefined;
  const visit = (from: number, chosen: MgmtObjCost[]): void => {
    if (chosen.length > 0) {
      const plan = {
        plan: chosen.map((cost) => cost.mgmtObj),
        queued: chosen.reduce((sum, cost) => sum + cost.queued, 0),
        commands: chosen.reduce((sum, cost) => sum + cost.commands, 0),
      };
      const rank = [Math.abs(plan.commands - target), chosen.length - new Set(chosen).size, -plan.commands, chosen.length];
      if (!best || lexicallyBefore(rank, best.rank)) best = { plan, rank };
      if (plan.commands >= target) return;
    }
    for (let i = from; i < usable.length; i++) visit(i, [...chosen, usable[i]]);
  };
  visit(0, []);
  return best?.plan ?? { plan: [], queued: 0, commands: 0 };
}

function lexicallyBefore(a: number[], b: number[]): boolean {
  const index = a.findIndex((value, i) => value !== b[i]);
  return index >= 0 && a[index] < b[index];
}
