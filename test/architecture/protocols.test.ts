import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROTOCOLS } from '../../src/core/protocols.js';
import { PROXY_OUTCOMES, TRANSPORT_OUTCOMES } from '../../src/core/device-adapter.js';

const MAPPINGS = fileURLToPath(new URL('../../../mappings/', import.meta.url));

test('the status table schema and the shipped status tables cover exactly the protocols of core/protocols.ts', () => {
  const schema = JSON.parse(readFileSync(`${MAPPINGS}status/status.schema.json`, 'utf8')) as { properties: { protocol: { enum: string[] } } };
  assert.deepEqual(schema.properties.protocol.enum, [...PROTOCOLS]);
  for (const protocol of PROTOCOLS) assert.ok(existsSync(`${MAPPINGS}status/${protocol}.yaml`), `status/${protocol}.yaml`);
});

test('the status table schema allows exactly the transport and proxy outcomes of core/device-adapter.ts', () => {
  type RowSchema = { properties: { code: { enum: string[] } } };
  const schema = JSON.parse(readFileSync(`${MAPPINGS}status/status.schema.json`, 'utf8')) as { definitions: Record<string, RowSchema> };
  assert.deepEqual(schema.definitions.transportRow.properties.code.enum, [...TRANSPORT_OUTCOMES]);
  assert.deepEqual(schema.definitions.proxyRow.properties.code.enum, [...PROXY_OUTCOMES]);
});
