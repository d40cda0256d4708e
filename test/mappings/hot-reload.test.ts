import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { CoreDeps } from '../../src/core/core-deps.js';
import { loadConfig } from '../../src/core/config.js';
import { startMappingService } from '../../src/mappings/mapping-service.js';
import type { MappingService } from '../../src/mappings/types.js';
import { TableCopy } from './table-copy.js';

const WAIT_LIMIT_MS = 3000;

function depsFor(dir: string, profile = 'default'): CoreDeps {
  return {
    config: loadConfig({ MAPPINGS_DIR: dir, STATUS_PROFILE: profile }),
    logger: pino({ level: 'silent' }),
    metrics: new Registry(),
  };
}

/** Polls until `check` holds (hot reload is asynchronous: file watch + debounce), at most 3 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const until = Date.now() + WAIT_LIMIT_MS;
  while (!check()) {
    if (Date.now() > until) assert.fail(`not within ${WAIT_LIMIT_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function failureCount(metrics: Registry): Promise<number> {
  const metric = await metrics.getSingleMetric('mappings_reload_failures_total')!.get();
  return metric.values[0]?.value ?? 0;
}

async function withService(run: (copy: TableCopy, service: MappingService, deps: CoreDeps) => Promise<void>): Promise<void> {
  const copy = new TableCopy();
  const deps = depsFor(copy.dir);
  const service = await startMappingService(deps);
  try {
    await run(copy, service, deps);
  } finally {
    await service.close();
    copy.remove();
  }
}

test('an edit of a table changes the next answer without a restart', async () => {
  await withService(async (copy, service) => {
    assert.equal(service.current().status('lwm2m', 'read', '4.04').rsc, 6005);
    const before = service.health().loadedAt;
    copy.edit('status/lwm2m.yaml', '      - code: "4.04"\n        label: error - not found\n        description: URI of “Read”',
      '      - code: "4.04"\n        label: error - bad request\n        description: URI of “Read”');
    await eventually(() => service.current().status('lwm2m', 'read', '4.04').rsc === 4000, 'read 4.04 answers 4000');
    assert.equal(service.current().status('lwm2m', 'create', '4.04').rsc, 6005, 'other operations keep their rows');
    const health = service.health();
    assert.equal(health.ok, true);
    assert.equal(health.reloadFailures, 0);
    assert.ok(health.loadedAt >= before);
  });
});

test('a broken edit keeps the last good set, counts a failure and shows the errors in health', async () => {
  await withService(async (copy, service, deps) => {
    const good = service.current();
    const line = copy.edit('status/omadm13.yaml', 'label: error - forbidden', 'label: error - forbiden');
    await eventually(() => service.health().reloadFailures === 1, 'the failed reload is counted');
    assert.equal(service.current(), good, 'the same set object stays in service');
    assert.equal(service.current().status('omadm13', 'update', '403').label, 'error - forbidden');
    assert.equal(await failureCount(deps.metrics), 1);
    const health = service.health();
    assert.equal(health.ok, false);
    assert.deepEqual(health.lastErrors, [
      `${copy.path('status/omadm13.yaml')}:${line}: operations.update: label "error - forbiden" is not in status/vocabulary.yaml`,
    ]);

    // Broken YAML is a failure too; then a repair clears the errors.
    copy.edit('objects/lwm2m.yaml', 'resources: [6]', 'resources: [6');
    await eventually(() => service.health().reloadFailures === 2, 'the second failed reload is counted');
    assert.equal(service.current(), good);
    copy.edit('objects/lwm2m.yaml', 'resources: [6', 'resources: [6]');
    copy.edit('status/omadm13.yaml', 'label: error - forbiden', 'label: error - forbidden');
    await eventually(() => service.health().ok, 'the repaired tables are loaded');
    assert.notEqual(service.current(), good);
    assert.deepEqual(service.health().lastErrors, []);
    assert.equal(service.health().reloadFailures, 2);
    assert.equal(await failureCount(deps.metrics), 2);
  });
});

test('close() stops watching', async () => {
  await withService(async (copy, service) => {
    await service.close();
    copy.edit('status/omadm13.yaml', 'label: error - forbidden', 'label: error - forbiden');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(service.health().reloadFailures, 0);
    assert.equal(service.health().ok, true);
  });
});

test('broken tables stop the start with every error; an unknown profile names the profiles', async () => {
  const copy = new TableCopy();
  try {
    await assert.rejects(startMappingService(depsFor(copy.dir, 'legacy')), /STATUS_PROFILE="legacy" is not valid: one of the profiles in .*vocabulary\.yaml: default, compat/);
    const first = copy.edit('objects/lwm2m.yaml', 'converter: opaqueToBase64', 'converter: opaqueToHex');
    const second = copy.edit('status/lwm2m.yaml', 'label: error - internal error', 'label: error - inner error');
    await assert.rejects(startMappingService(depsFor(copy.dir)), (error: Error) => {
      assert.match(error.message, new RegExp(`objects/lwm2m\\.yaml:${first}: eventLog\\.lgd: unknown converter "opaqueToHex"`));
      assert.match(error.message, new RegExp(`status/lwm2m\\.yaml:${second}: operations\\.create: label "error - inner error"`));
      return true;
    });
  } finally {
    copy.remove();
  }
});

test('two services on one registry share the failure counter', async () => {
  const copy = new TableCopy();
  const deps = depsFor(copy.dir);
  const first = await startMappingService(deps);
  const second = await startMappingService(deps);
  try {
    assert.equal(await failureCount(deps.metrics), 0);
  } finally {
    await first.close();
    await second.close();
    copy.remove();
  }
});
