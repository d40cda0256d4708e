import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StartupError } from '../../../src/core/startup-error.js';
import { loadOmadmSettings } from '../../../src/omadm/settings.js';

test('DM 2.0 settings: defaults, and DM2_PATH must differ from DM_PATH and not be above it', () => {
  const defaults = loadOmadmSettings({});
  assert.deepEqual([defaults.dm2Path, defaults.dm2NonceTtlS, defaults.dm2RepoTtlS, defaults.dm2RepoMaxBytes], ['/dm2', 300, 600, 64 * 1024 * 1024]);
  assert.equal(loadOmadmSettings({ DM2_PATH: '/omadm/v2' }).dm2Path, '/omadm/v2');
  for (const env of [{ DM2_PATH: '/dm' }, { DM_PATH: '/dm2/v1' }, { DM2_PATH: '/' }, { DM2_PATH: 'dm2' }, { DM2_NONCE_TTL_S: '0' }, { DM2_REPO_MAX_BYTES: '12' }]) {
    assert.throws(() => loadOmadmSettings(env), StartupError, JSON.stringify(env));
  }
});
