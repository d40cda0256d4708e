import { BenchChild } from '../processes/bench-child.js';
import { NODE_SEEDER } from '../processes/built-scripts.js';

export interface SeededNodes {
  nodes: number;
  /** Every stored resource: the CSEBase, the nodes and their mgmtObjs. */
  resources: number;
  seedMs: number;
}

/** Runs the node seeder (bench/seed/node-seeder.ts) as its own process on a proxy's data dir before the proxy starts. */
export async function seedNodes(dataDir: string, count: number, env: Record<string, string>, timeoutMs: number): Promise<SeededNodes> {
  const child = new BenchChild('node seeder', [NODE_SEEDER, dataDir, String(count)], env);
  const code = await child.exit(timeoutMs);
  const last = child.lines.at(-1);
  if (code !== 0 || last === undefined) throw child.failure(`exited with ${code}`);
  return JSON.parse(last) as SeededNodes;
}
