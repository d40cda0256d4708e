import { MGMT_OBJ_SPECS, mgmtObjSpecByType } from '../core/attribute-dictionary.js';
import { converterDefinition, converterNames } from './converters.js';
import type { AccessMode, ActionStatusValue, Lwm2mAttributeMapping, Lwm2mMgmtObjMapping, Lwm2mResultOperation, OmadmAttributeMapping, OmadmMgmtObjMapping } from './types.js';
import type { DataPath, Problems, YamlSource } from './yaml-source.js';

interface AttributeRow {
  attribute: string;
  access: AccessMode;
  executable?: boolean;
  converter?: string;
  note?: string;
}

/** `progress:` of an executable LwM2M attribute once its schema passed. */
interface ProgressRow {
  status: string;
  results: Lwm2mResultOperation;
  success?: ActionStatusValue;
}

/** `objects/lwm2m.yaml` once its schema passed. */
export interface Lwm2mObjectsFile {
  mgmtObjs: Record<string, { objectId: number; multiInstance: boolean; attributes: Array<AttributeRow & { resources: number[]; progress?: ProgressRow }> }>;
}

/** `objects/omadm.yaml` once its schema passed. */
export interface OmadmObjectsFile {
  mgmtObjs: Record<string, { moUrn: string; rootPath: string; attributes: Array<AttributeRow & { path: string; dm20Path?: string }> }>;
}

type AnyObjectsFile = { mgmtObjs: Record<string, { attributes: Array<AttributeRow & { resources?: number[]; progress?: ProgressRow }> }> };

/** Checks what the schema cannot: specialization attributes (the attribute dictionary), executables, converters. */
export function checkObjectTable(source: YamlSource, file: Lwm2mObjectsFile | OmadmObjectsFile, problems: Problems): void {
  for (const [mgmtObj, entry] of Object.entries((file as AnyObjectsFile).mgmtObjs)) {
    const spec = mgmtObjSpecByType(mgmtObj);
    if (!spec) {
      problems.at(source, ['mgmtObjs', mgmtObj], `mgmtObjs.${mgmtObj}: not a mgmtObj specialization (known: ${MGMT_OBJ_SPECS.map((s) => s.type).join(', ')})`);
      continue;
    }
    // Only the specialization's own attributes map to device data; short name → executable.
    const specialization = new Map(spec.specializationAttributes.map((a) => [a.short, a.executable]));
    const seen = new Set<string>();
    entry.attributes.forEach((row, i) => {
      const path: DataPath = ['mgmtObjs', mgmtObj, 'attributes', i];
      const report = (key: string, message: string) => problems.at(source, [...path, key], `${mgmtObj}.${row.attribute}: ${message}`);
      if (seen.has(row.attribute)) report('attribute', 'mapped twice');
      seen.add(row.attribute);
      const executable = specialization.get(row.attribute);
      if (executable === undefined) {
        report('attribute', `${mgmtObj} has no attribute "${row.attribute}" (it has: ${[...specialization.keys()].join(', ')})`);
        return;
      }
      if (executable !== (row.executable ?? false)) {
        report('attribute', executable ? 'is executable in the specialization: set `executable: true`' : 'is not executable in the specialization');
      }
      if (row.executable) {
        if (row.access !== 'W') report('access', 'an executable attribute is only written (`access: W`)');
        if (row.converter !== undefined) report('converter', 'an executable attribute takes no converter');
        if (row.resources && row.resources.length !== 1) report('resources', 'an executable attribute runs exactly one resource');
      }
      if (row.converter !== undefined) checkConverter(row, row.resources?.length ?? 1, report);
      if (row.progress !== undefined) checkProgress(row, row.progress, entry.attributes, report);
    });
  }
}

/** The status attribute a `progress:` names is a read attribute of the same mgmtObj whose converter gives an m2m:actionStatus. */
function checkProgress(row: AttributeRow, progress: ProgressRow, rows: readonly AttributeRow[], report: (key: string, message: string) => void): void {
  if (!row.executable) return report('progress', 'only an executable attribute starts work that is followed (`progress:`)');
  const status = rows.find((other) => other.attribute === progress.status);
  if (!status) return report('progress', `progress.status "${progress.status}" is not an attribute of this mgmtObj`);
  if (status.access === 'W' || status.executable) report('progress', `progress.status "${progress.status}" is not read from the device`);
  if (status.converter === undefined) report('progress', `progress.status "${progress.status}" has no converter to tell its m2m:status`);
}

function checkConverter(row: AttributeRow, inputs: number, report: (key: string, message: string) => void): void {
  const definition = converterDefinition(row.converter!);
  if (!definition) {
    report('converter', `unknown converter "${row.converter}" (known: ${converterNames.join(', ')})`);
    return;
  }
  if (definition.inputs !== inputs) {
    report('converter', `converter ${row.converter} reads ${definition.inputs} device value(s), the attribute maps ${inputs}`);
  }
  if (row.access !== 'R' && !definition.toDevice) {
    report('converter', `converter ${row.converter} only reads: make the attribute \`access: R\``);
  }
}

function attributeBase(row: AttributeRow): Omit<Lwm2mAttributeMapping, 'resources'> {
  const base: Omit<Lwm2mAttributeMapping, 'resources'> = { attribute: row.attribute, access: row.access, executable: row.executable ?? false };
  if (row.converter !== undefined) base.converter = row.converter;
  return base;
}

/** Frozen attribute list with its O(1) index by short name. */
function indexed<A extends { attribute: string }>(attributes: A[]): { attributes: A[]; byAttribute: ReadonlyMap<string, A> } {
  const frozen = attributes.map((attribute) => Object.freeze(attribute));
  return { attributes: Object.freeze(frozen) as A[], byAttribute: new Map(frozen.map((a) => [a.attribute, a])) };
}

export function buildLwm2mObjects(file: Lwm2mObjectsFile): Lwm2mMgmtObjMapping[] {
  return Object.entries(file.mgmtObjs).map(([mgmtObj, entry]) =>
    Object.freeze({
      mgmtObj,
      objectId: entry.objectId,
      multiInstance: entry.multiInstance,
      ...indexed<Lwm2mAttributeMapping>(
        entry.attributes.map((row) => {
          const mapping: Lwm2mAttributeMapping = { ...attributeBase(row), resources: Object.freeze([...row.resources]) as number[] };
          if (row.progress) {
            const { status, results, success } = row.progress;
            mapping.progress = Object.freeze({ status, results, success: Object.freeze(success ?? { acn: row.attribute, sus: 1 }) });
          }
          return mapping;
        }),
      ),
    }),
  );
}

export function buildOmadmObjects(file: OmadmObjectsFile): OmadmMgmtObjMapping[] {
  return Object.entries(file.mgmtObjs).map(([mgmtObj, entry]) =>
    Object.freeze({
      mgmtObj,
      moUrn: entry.moUrn,
      rootPath: entry.rootPath,
      ...indexed<OmadmAttributeMapping>(
        entry.attributes.map((row) => {
          const mapping: OmadmAttributeMapping = { ...attributeBase(row), path: row.path };
          if (row.dm20Path !== undefined) mapping.dm20Path = row.dm20Path;
          return mapping;
        }),
      ),
    }),
  );
}

/** `/5/0/3`; multi-instance objects show `{instance}` unless an instance is given. */
export function lwm2mResourcePath(object: Lwm2mMgmtObjMapping, resource: number, instance?: number): string {
  return `/${object.objectId}/${instance ?? (object.multiInstance ? '{instance}' : 0)}/${resource}`;
}

/** Full node path of an attribute: relative paths hang below the MO root, `./…` paths are absolute. */
export function omadmNodePath(object: OmadmMgmtObjMapping, attribute: OmadmAttributeMapping, version: 'omadm13' | 'omadm20' = 'omadm13'): string {
  const path = version === 'omadm20' ? (attribute.dm20Path ?? attribute.path) : attribute.path;
  return path.startsWith('./') ? path : `${object.rootPath}/${path}`;
}
