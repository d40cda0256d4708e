import { join } from 'node:path';
import { PROTOCOLS } from '../core/protocols.js';
import { LoadedMappingSet } from './mapping-set.js';
import { buildLwm2mObjects, buildOmadmObjects, checkObjectTable, type Lwm2mObjectsFile, type OmadmObjectsFile } from './object-tables.js';
import { checkSchema, type SchemaName } from './schema-check.js';
import { buildStatusTables, checkStatusTable, type StatusFile, type StatusLookup, type StatusTableView } from './status-tables.js';
import type { StatusProtocol } from './types.js';
import { checkVocabulary, profileNames, vocabularyFor, type VocabularyFile } from './vocabulary.js';
import { Problems, readYamlSource, type YamlSource } from './yaml-source.js';

/** On failure, `profiles` (the vocabulary's profiles) is there when the requested profile is not one of them. */
export type LoadResult = { ok: true; set: LoadedMappingSet } | { ok: false; problems: string[]; profiles?: string[] };

/** Reads one table and checks it against its schema; undefined when it cannot be used. */
function readChecked<T>(dir: string, relative: string, schema: SchemaName, problems: Problems): { source: YamlSource; data: T } | undefined {
  const source = readYamlSource(join(dir, relative), problems);
  if (!source || !checkSchema(source, schema, problems)) return undefined;
  return { source, data: source.data as T };
}

/**
 * Loads and validates every table in `dir` for one status profile. Either the whole set is
 * good, or the answer lists every problem as `file:line: message`.
 */
export function loadMappings(dir: string, profile: string): LoadResult {
  const problems = new Problems();
  const vocabulary = readChecked<VocabularyFile>(dir, 'status/vocabulary.yaml', 'status/vocabulary', problems);
  let unknownProfile = false;
  if (vocabulary) {
    checkVocabulary(vocabulary.source, vocabulary.data, problems);
    if (!Object.hasOwn(vocabulary.data.profiles, profile)) {
      unknownProfile = true;
      problems.at(vocabulary.source, ['profiles'], `unknown status profile "${profile}" (STATUS_PROFILE; profiles: ${profileNames(vocabulary.data).join(', ')})`);
    }
  }
  const knownLabel = vocabulary ? (label: string) => Object.hasOwn(vocabulary.data.labels, label) : undefined;

  const statusFiles = PROTOCOLS.map((protocol) => {
    const table = readChecked<StatusFile>(dir, `status/${protocol}.yaml`, 'status/status', problems);
    if (table) checkStatusTable(table.source, table.data, protocol, knownLabel, problems);
    return table?.data;
  });
  const lwm2m = readChecked<Lwm2mObjectsFile>(dir, 'objects/lwm2m.yaml', 'objects/lwm2m', problems);
  if (lwm2m) checkObjectTable(lwm2m.source, lwm2m.data, problems);
  const omadm = readChecked<OmadmObjectsFile>(dir, 'objects/omadm.yaml', 'objects/omadm', problems);
  if (omadm) checkObjectTable(omadm.source, omadm.data, problems);

  if (problems.count > 0 || !vocabulary || !lwm2m || !omadm) {
    return { ok: false, problems: problems.lines, ...(unknownProfile && vocabulary ? { profiles: profileNames(vocabulary.data) } : {}) };
  }

  const labels = vocabularyFor(vocabulary.data, profile);
  const status = new Map<StatusProtocol, Map<string, StatusLookup>>();
  const statusViews: StatusTableView[] = [];
  for (const file of statusFiles as StatusFile[]) {
    const built = buildStatusTables(file, labels);
    status.set(file.protocol, built.lookups);
    statusViews.push(...built.views);
  }
  return {
    ok: true,
    set: new LoadedMappingSet({
      profile,
      profiles: profileNames(vocabulary.data),
      status,
      statusViews,
      lwm2m: buildLwm2mObjects(lwm2m.data),
      omadm: buildOmadmObjects(omadm.data),
    }),
  };
}
