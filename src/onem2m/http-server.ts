import type { Router } from 'express';
import type { CoreDeps, HealthReport } from '../app.js';
import type { RequestHandler } from './primitives.js';
export interface HttpServerHandle { port: number; close(): Promise<void> }
export async function startHttpServer(_deps: CoreDeps & { handler: RequestHandler; health: () => HealthReport; adminRouters: Router[] }): Promise<HttpServerHandle> {
  throw new Error('not implemented yet');
}
