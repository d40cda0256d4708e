import express, { Router } from 'express';
import { adminErrors, adminFail } from '../../core/admin-answers.js';
import type { Logger } from '../../core/logger.js';
import type { BootstrapConfigStore } from '../bootstrap/bootstrap-config-store.js';
import { maskSecrets, parseBootstrapConfig } from '../bootstrap/bootstrap-config.js';
import type { BootstrapFailureLog } from '../bootstrap/bootstrap-failures.js';
import type { RegistrationService } from '../registration/registration-service.js';
import { coapUri, expiresAt, objectPath, registrationLocation, type Registration } from '../registration/registration.js';

/** Operator API of the LwM2M part on the oneM2M HTTP port (mounted at /admin/lwm2m): registrations, bootstrap configurations and failures. */

export interface AdminRouterDeps {
  registrations: RegistrationService;
  configs: BootstrapConfigStore;
  failures: BootstrapFailureLog;
  graceSeconds: number;
  bodyLimitBytes: number;
  logger: Logger;
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function registrationView(registration: Registration, graceSeconds: number) {
  return {
    endpoint: registration.endpoint,
    registrationId: registration.id,
    location: registrationLocation(registration),
    address: coapUri(registration.address, registration.port),
    version: registration.version,
    binding: registration.binding,
    queueMode: registration.queueMode,
    lifetime: registration.lifetime,
    ...(registration.sms === undefined ? {} : { sms: registration.sms }),
    rootPath: registration.rootPath || '/',
    ...(registration.preferredFormat === undefined ? {} : { preferredFormat: registration.preferredFormat }),
    objects: registration.objects.map((link) => objectPath(registration, link)),
    objectVersions: registration.objectVersions,
    registeredAt: iso(registration.registeredAt),
    lastUpdate: iso(registration.lastUpdate),
    lastSeen: iso(registration.lastSeen),
    expiresAt: iso(expiresAt(registration, graceSeconds)),
  };
}


export function createAdminRouter(deps: AdminRouterDeps): Router {
  const router = Router();
  const json = express.json({ limit: deps.bodyLimitBytes, type: () => true });

  router.get('/registrations', (_req, res) => {
    res.json(deps.registrations.list().map((registration) => registrationView(registration, deps.graceSeconds)));
  });

  router.get('/registrations/:endpoint', (req, res) => {
    const registration = deps.registrations.get(req.params.endpoint);
    if (!registration) return adminFail(res, 404, `endpoint "${req.params.endpoint}" is not registered`);
    res.json(registrationView(registration, deps.graceSeconds));
  });

  router.get('/bootstrap-configs', async (_req, res) => {
    res.json((await deps.configs.list()).map(maskSecrets));
  });

  router.get('/bootstrap-configs/:endpoint', async (req, res) => {
    const config = await deps.configs.get(req.params.endpoint);
    if (!config) return adminFail(res, 404, `no bootstrap configuration for "${req.params.endpoint}"`);
    res.json(maskSecrets(config));
  });

  router.put('/bootstrap-configs/:endpoint', json, async (req, res) => {
    const parsed = parseBootstrapConfig(req.body);
    if ('errors' in parsed) return adminFail(res, 400, 'invalid bootstrap configuration', parsed.errors);
    const existed = (await deps.configs.get(req.params.endpoint)) !== undefined;
    const stored = await deps.configs.put(req.params.endpoint, parsed.config);
    deps.logger.info({ key: stored.endpoint, shortServerId: stored.server.shortServerId, mode: stored.security.mode }, 'bootstrap configuration saved');
    res.status(existed ? 200 : 201).json(maskSecrets(stored));
  });

  router.delete('/bootstrap-configs/:endpoint', async (req, res) => {
    if (!(await deps.configs.delete(req.params.endpoint))) return adminFail(res, 404, `no bootstrap configuration for "${req.params.endpoint}"`);
    res.status(204).end();
  });

  router.get('/bootstrap-failures', async (_req, res) => {
    res.json(await deps.failures.list());
  });

  router.use((_req, res) => adminFail(res, 404, 'no such LwM2M admin resource'));

  router.use(adminErrors(deps.logger, 'LwM2M'));
  return router;
}
