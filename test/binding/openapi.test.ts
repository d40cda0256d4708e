import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { assertWellFormedXml } from '../helpers/strict-xml.js';

const specPath = fileURLToPath(new URL('../../../openapi.yaml', import.meta.url));
const spec = parse(readFileSync(specPath, 'utf8')) as Record<string, any>;

test('openapi.yaml passes a real OpenAPI validator (swagger-parser: structure against the 3.0 schema, $refs, parameters)', async () => {
  assert.match(spec.openapi, /^3\.0\./);
  await SwaggerParser.validate(specPath);
});

test('openapi.yaml declares X-M2M-Origin as its security scheme; only /healthz and /metrics go without', () => {
  const schemes = spec.components.securitySchemes as Record<string, { type: string; in: string; name: string }>;
  const [name] = Object.entries(schemes).find(([, scheme]) => scheme.type === 'apiKey' && scheme.in === 'header' && scheme.name === 'X-M2M-Origin') ?? [];
  assert.ok(name, 'an apiKey scheme for the X-M2M-Origin header');
  assert.deepEqual(spec.security, [{ [name]: [] }]);
  for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, { security?: unknown }>>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'delete'].includes(method)) continue;
      const open = path === '/healthz' || path === '/metrics';
      assert.deepEqual(operation.security, open ? [] : undefined, `${method} ${path}`);
    }
  }
});

interface Example { where: string; schema: Record<string, unknown>; value: unknown; mediaType?: string }

/** Every example in the (dereferenced) spec with the schema it illustrates: media-type examples and schema-level `example`s. */
function examplesOf(node: unknown, where: string, found: Example[] = [], seen = new Set<unknown>()): Example[] {
  if (typeof node !== 'object' || node === null || seen.has(node)) return found;
  seen.add(node);
  const record = node as Record<string, any>;
  if (record.schema && typeof record.schema === 'object') {
    const mediaType = /\/content\/([^/]+)$/.exec(where)?.[1];
    if ('example' in record) found.push({ where: `${where}/example`, schema: record.schema, value: record.example, mediaType });
    for (const [name, example] of Object.entries<any>(record.examples ?? {})) {
      found.push({ where: `${where}/examples/${name}`, schema: record.schema, value: example.value, mediaType });
    }
  }
  if ('example' in record && (record.type !== undefined || record.oneOf !== undefined) && !record.schema) {
    found.push({ where: `${where}/example`, schema: record, value: record.example });
  }
  for (const [key, child] of Object.entries(record)) examplesOf(child, `${where}/${key}`, found, seen);
  return found;
}

test('every example in openapi.yaml matches its schema (XML examples are well-formed, namespaces bound)', async () => {
  const dereferenced = await SwaggerParser.dereference(structuredClone(spec) as any);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const examples = examplesOf(dereferenced, '#');
  assert.ok(examples.length >= 10, `found only ${examples.length} examples`);
  assert.ok(examples.some((example) => JSON.stringify(example.value).includes('m2m:uril')), 'the discovery example is checked');
  for (const example of examples) {
    const validate = ajv.compile(example.schema);
    assert.ok(validate(example.value), `${example.where}: ${ajv.errorsText(validate.errors)}`);
    if (example.mediaType?.endsWith('xml')) assertWellFormedXml(String(example.value));
  }
});

test('openapi.yaml describes every target form, method, header and query parameter the binding reads', () => {
  for (const path of ['/{cseName}/{path}', '/~/{csi}/{path}', '/_/{sp}/{csi}/{path}']) {
    for (const method of ['get', 'post', 'put', 'delete']) assert.ok(spec.paths[path]?.[method], `${method} ${path}`);
  }
  assert.ok(spec.paths['/healthz'].get);
  assert.ok(spec.paths['/metrics'].get);
  const parameters = Object.values(spec.components.parameters as Record<string, { name: string; in: string }>);
  const named = (where: string) => new Set(parameters.filter((p) => p.in === where).map((p) => p.name));
  for (const header of ['X-M2M-Origin', 'X-M2M-RI', 'X-M2M-RVI', 'X-M2M-OT', 'X-M2M-RET', 'X-M2M-RST', 'X-M2M-OET', 'X-M2M-EC', 'X-M2M-VSI', 'X-M2M-RTU']) {
    assert.ok(named('header').has(header), header);
  }
  for (const query of ['rcn', 'rt', 'drt', 'atrl', 'fu', 'ty', 'lbl', 'lim', 'mgd']) assert.ok(named('query').has(query), query);
});
