import type { LoadedMappingSet } from './mapping-set.js';
import { lwm2mResourcePath, omadmNodePath } from './object-tables.js';
import type { StatusProtocol } from './types.js';

/** The tables as a document for integrators: headings, short texts and tables, rendered as Markdown or HTML. */
interface Block {
  heading?: { level: 1 | 2 | 3; text: string };
  paragraph?: string;
  table?: { columns: string[]; rows: string[][] };
}

const PROTOCOL_TITLES: Record<StatusProtocol, string> = { lwm2m: 'LwM2M', omadm13: 'OMA DM 1.3', omadm20: 'OMA DM 2.0' };

function documentBlocks(set: LoadedMappingSet): Block[] {
  const blocks: Block[] = [
    { heading: { level: 1, text: 'onem2m-dm-proxy mapping tables' } },
    { paragraph: `Status profile: ${set.profile} (profiles: ${set.profiles.join(', ')}). Class rows (2xx, 4.xx, ...) answer the codes a table does not list; codes of a class without a row, and anything that is no code, get the table's 5xx row.` },
  ];
  let protocol = '';
  for (const view of set.statusViews) {
    if (view.protocol !== protocol) {
      protocol = view.protocol;
      blocks.push({ heading: { level: 2, text: `Status codes: ${PROTOCOL_TITLES[view.protocol]}` } });
    }
    blocks.push({ heading: { level: 3, text: `${view.operation}${view.source ? ` (${view.source})` : ''}` } });
    blocks.push({
      table: {
        columns: ['Code', 'Label', 'RSC', 'RSC name', 'HTTP', 'Final', 'Description'],
        rows: view.rows.map(({ code, note, mapping }) => [
          code,
          mapping.label,
          String(mapping.rsc),
          mapping.rscName,
          String(mapping.http),
          mapping.final ? 'yes' : 'no (keep waiting)',
          [mapping.description, mapping.useCachedData ? 'Answers with the cached data.' : undefined, note].filter(Boolean).join(' '),
        ]),
      },
    });
  }
  blocks.push({ heading: { level: 2, text: 'Attributes: LwM2M objects' } });
  for (const object of set.lwm2mObjects) {
    blocks.push({ heading: { level: 3, text: `${object.mgmtObj}: object ${object.objectId}${object.multiInstance ? ' (multi-instance)' : ''}` } });
    blocks.push({
      table: {
        columns: ['Attribute', 'Resources', 'Access', 'Executable', 'Converter', 'Progress'],
        rows: object.attributes.map((a) => [
          a.attribute,
          a.resources.map((r) => lwm2mResourcePath(object, r)).join(', '),
          a.access,
          a.executable ? 'yes' : '',
          a.converter ?? '',
          a.progress ? `observes ${a.progress.status} until ${JSON.stringify(a.progress.success)} or sus 2; ends in ${a.progress.results}` : '',
        ]),
      },
    });
  }
  blocks.push({ heading: { level: 2, text: 'Attributes: OMA DM management objects' } });
  for (const object of set.omadmObjects) {
    blocks.push({ heading: { level: 3, text: `${object.mgmtObj}: ${object.moUrn} at ${object.rootPath}` } });
    blocks.push({
      table: {
        columns: ['Attribute', 'Node path', 'DM 2.0 node path', 'Access', 'Executable', 'Converter'],
        rows: object.attributes.map((a) => [
          a.attribute,
          omadmNodePath(object, a),
          a.dm20Path ? omadmNodePath(object, a, 'omadm20') : '',
          a.access,
          a.executable ? 'yes' : '',
          a.converter ?? '',
        ]),
      },
    });
  }
  return blocks;
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

export function renderMarkdown(set: LoadedMappingSet): string {
  const out: string[] = [];
  for (const block of documentBlocks(set)) {
    if (block.heading) out.push(`${'#'.repeat(block.heading.level)} ${block.heading.text}`, '');
    if (block.paragraph) out.push(block.paragraph, '');
    if (block.table) {
      out.push(`| ${block.table.columns.join(' | ')} |`, `|${block.table.columns.map(() => '---').join('|')}|`);
      for (const row of block.table.rows) out.push(`| ${row.map(markdownCell).join(' | ')} |`);
      out.push('');
    }
  }
  return out.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderHtml(set: LoadedMappingSet): string {
  const out = ['<!doctype html>', '<html lang="en"><head><meta charset="utf-8"><title>onem2m-dm-proxy mapping tables</title>',
    '<style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top}</style>',
    '</head><body>'];
  for (const block of documentBlocks(set)) {
    if (block.heading) out.push(`<h${block.heading.level}>${escapeHtml(block.heading.text)}</h${block.heading.level}>`);
    if (block.paragraph) out.push(`<p>${escapeHtml(block.paragraph)}</p>`);
    if (block.table) {
      out.push(`<table><tr>${block.table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`);
      for (const row of block.table.rows) out.push(`<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
      out.push('</table>');
    }
  }
  out.push('</body></html>', '');
  return out.join('\n');
}
