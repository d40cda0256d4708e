import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const spec = parse(readFileSync(new URL('../../../openapi.yaml', import.meta.url), 'utf8')) as Record<string, any>;

function resolve(ref: string): unknown {
  return ref.slice(2).split('/').reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
}

test('openapi.yaml is OpenAPI 3.0 with every $ref resolvable', () => {
  assert.match(spec.openapi, /^3\.0\./);
  const refs: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref') refs.push(value as string);
      else walk(value);
    }
  };
  walk(spec);
  assert.ok(refs.length > 0);
  for (const ref of refs) assert.notEqual(resolve(ref), undefined, ref);
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
