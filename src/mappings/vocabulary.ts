import { isKnownRsc } from '../core/rsc.js';
import type { Problems, YamlSource } from './yaml-source.js';

/** `status/vocabulary.yaml` once its schema passed. */
export interface VocabularyFile {
  labels: Record<string, { description?: string; rsc: number | Record<string, number>; final?: boolean }>;
  profiles: Record<string, { description?: string; substitute?: Record<string, number> }>;
}

/** Labels with the RSCs of one profile applied. */
export interface Vocabulary {
  profile: string;
  has(label: string): boolean;
  /** RSC and finality of a label for one operation (oneM2M or LwM2M name). */
  resolve(label: string, operation: string): { rsc: number; final: boolean };
}

/** Checks what the schema cannot: every RSC is one TS-0004 defines. */
export function checkVocabulary(source: YamlSource, file: VocabularyFile, problems: Problems): void {
  const unknown = (path: (string | number)[], rsc: number) => problems.at(source, path, `${rsc} is not a oneM2M RSC (TS-0004 §6.6)`);
  for (const [label, entry] of Object.entries(file.labels)) {
    if (typeof entry.rsc === 'number') {
      if (!isKnownRsc(entry.rsc)) unknown(['labels', label, 'rsc'], entry.rsc);
    } else {
      for (const [operation, rsc] of Object.entries(entry.rsc)) if (!isKnownRsc(rsc)) unknown(['labels', label, 'rsc', operation], rsc);
    }
  }
  for (const [profile, entry] of Object.entries(file.profiles)) {
    for (const [from, to] of Object.entries(entry.substitute ?? {})) {
      if (!isKnownRsc(Number(from))) unknown(['profiles', profile, 'substitute', from], Number(from));
      if (!isKnownRsc(to)) unknown(['profiles', profile, 'substitute', from], to);
    }
  }
}

export function profileNames(file: VocabularyFile): string[] {
  return Object.keys(file.profiles);
}

/** The vocabulary seen through one profile; the profile must exist. */
export function vocabularyFor(file: VocabularyFile, profile: string): Vocabulary {
  const substitute = new Map(Object.entries(file.profiles[profile].substitute ?? {}).map(([from, to]) => [Number(from), to]));
  const labels = new Map(Object.entries(file.labels));
  return {
    profile,
    has: (label) => labels.has(label),
    resolve(label, operation) {
      const entry = labels.get(label);
      if (!entry) throw new Error(`label "${label}" is not in the vocabulary`);
      const rsc = typeof entry.rsc === 'number' ? entry.rsc : entry.rsc[operation];
      return { rsc: substitute.get(rsc) ?? rsc, final: entry.final ?? true };
    },
  };
}
