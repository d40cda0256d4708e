import express, { Router } from 'express';
import { adminErrors, adminFail } from '../../core/admin-answers.js';
import type { Logger } from '../../core/logger.js';
import type { DmCredentialStore } from '../../store/dm-credential-store.js';
import { devIdProblems, parseDeviceCredentials } from './device-credentials-body.js';

/** Operator API of the OMA DM module (mounted at /admin/omadm): device credentials; secrets are never shown. */
export interface OmadmAdminDeps {
  credentials: DmCredentialStore;
  /** The commands waiting for each device's next session, per protocol version (only counted here). */
  queues: Record<'1.3' | '2.0', { waiting(devId: string): Promise<readonly unknown[]> }>;
  bodyLimitBytes: number;
  logger: Logger;
}

export function createOmadmAdminRouter(deps: OmadmAdminDeps): Router {
  const router = Router();
  const json = express.json({ limit: deps.bodyLimitBytes, type: () => true });
  const { credentials } = deps;

  router.get('/devices', async (_req, res) => {
    res.json(await credentials.list());
  });

  router.get('/devices/:devId', async (req, res) => {
    const device = await credentials.describe(req.params.devId);
    if (!device) return adminFail(res, 404, `no credentials for DevId "${req.params.devId}"`);
    res.json({ ...device, queued: (await deps.queues[device.version === '2.0' ? '2.0' : '1.3'].waiting(req.params.devId)).length });
  });

  router.put('/devices/:devId', json, async (req, res) => {
    const devId = req.params.devId;
    const parsed = parseDeviceCredentials(req.body);
    const errors = [...devIdProblems(devId), ...('errors' in parsed ? parsed.errors : [])];
    if (errors.length > 0 || 'errors' in parsed) return adminFail(res, 400, 'invalid DM device credentials', errors);
    const created = await credentials.put(devId, parsed.credentials);
    deps.logger.info({ devId, auth: parsed.credentials.auth, created }, 'DM device credentials saved');
    res.status(created ? 201 : 200).json(await credentials.describe(devId));
  });

  router.delete('/devices/:devId', async (req, res) => {
    if (!(await credentials.delete(req.params.devId))) return adminFail(res, 404, `no credentials for DevId "${req.params.devId}"`);
    deps.logger.info({ devId: req.params.devId }, 'DM device credentials deleted');
    res.status(204).end();
  });

  router.use((_req, res) => adminFail(res, 404, 'no such OMA DM admin resource (GET /devices, GET|PUT|DELETE /devices/<DevId>)'));

  router.use(adminErrors(deps.logger, 'OMA DM'));
  return router;
}
