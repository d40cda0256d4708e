import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { DataPath, Problems, YamlSource } from './yaml-source.js';

/**
 * The JSON Schemas shipped beside the tables in the package's own `mappings/` (a copied
 * tables directory is always checked against these, so an edited copy cannot loosen them).
 */
export type SchemaName = 'status/status' | 'status/vocabulary' | 'objects/lwm2m' | 'objects/omadm';

const SHIPPED_MAPPINGS = fileURLToPath(new URL('../../../mappings/', import.meta.url));

const validators = new Map<SchemaName, ValidateFunction>();
let ajv: Ajv | undefined;

function validator(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false });
    const schema = JSON.parse(readFileSync(`${SHIPPED_MAPPINGS}${name}.schema.json`, 'utf8')) as object;
    validate = ajv.compile(schema);
    validators.set(name, validate);
  }
  return validate;
}

/** Validates a table against its schema; reports every problem with its line. */
export function checkSchema(source: YamlSource, name: SchemaName, problems: Problems): boolean {
  const validate = validator(name);
  if (validate(source.data)) return true;
  for (const error of validate.errors ?? []) {
    // `if` and `propertyNames` only summarise: the failing branch / the named key report the real problem.
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    const { path, message } = describe(error);
    problems.at(source, path, `${dotted(path)}: ${message}`);
  }
  return false;
}

function describe(error: ErrorObject): { path: DataPath; message: string } {
  const objectPath = pointerSegments(error.instancePath);
  if (error.propertyName !== undefined) {
    // A key that breaks `propertyNames`: report it on the key itself.
    return { path: [...objectPath, error.propertyName], message: `key ${explain(error)}` };
  }
  return { path: error.keyword === 'additionalProperties' ? [...objectPath, String(error.params.additionalProperty)] : objectPath, message: explain(error) };
}

function explain(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `unknown key "${String(params.additionalProperty)}"`;
    case 'enum':
      return `"${String(error.data)}" must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'pattern': {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      return `"${String(error.data)}" is not valid${description ? `: ${description}` : ` (${error.message ?? ''})`}`;
    }
    case 'type':
      return params.type === 'string' && typeof error.data === 'number' ? 'must be a string: write it in quotes' : `must be ${String(params.type)}`;
    default:
      return error.message ?? error.keyword;
  }
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `operations.create.rows[3].label` */
export function dotted(path: DataPath): string {
  if (path.length === 0) return '(top level)';
  return path.map((segment, i) => (/^\d+$/.test(String(segment)) ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}
