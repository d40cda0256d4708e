import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { loadMappings } from '../../src/mappings/loader.js';
import { runCli } from './cli-runner.js';
import { SHIPPED_TABLES, TableCopy } from './table-copy.js';

/** Loads a copy in-process and returns its problems (empty when valid). */
function problemsOf(copy: TableCopy, profile = 'default'): string[] {
  const result = loadMappings(copy.dir, profile);
  return result.ok ? [] : result.problems;
}

test('validate passes on the shipped tables with a one-line summary', async () => {
  const result = await runCli(['mappings', 'validate', SHIPPED_TABLES]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /valid \(20 status tables with \d+ rows, profiles default, compat; 9 LwM2M and 6 OMA DM mgmtObj mappings\)/);
});

test('validate uses MAPPINGS_DIR when no directory is given', async () => {
  const copy = new TableCopy();
  try {
    const line = copy.edit('status/lwm2m.yaml', 'label: error - already exists', 'label: error - already there');
    const result = await runCli(['mappings', 'validate'], { MAPPINGS_DIR: copy.dir });
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`status/lwm2m\\.yaml:${line}: `));
  } finally {
    copy.remove();
  }
});

/** Each case breaks a fresh copy and names the file, the line and the words the message must hold. */
const BROKEN: Array<{
  name: string;
  file: string;
  from: string;
  to: string;
  message: RegExp;
  /** Lines between the edit and the reported line. */
  lineOffset?: number;
  /** The problem is reported where this text starts (after the edit) instead. */
  reportedAt?: string;
}> = [
  {
    name: 'unknown label',
    file: 'status/omadm13.yaml',
    from: 'label: error - forbidden',
    to: 'label: error - forbiden',
    message: /operations\.update: label "error - forbiden" is not in status\/vocabulary\.yaml/,
  },
  {
    name: 'bad YAML',
    file: 'objects/lwm2m.yaml',
    from: '{ attribute: fwn, resources: [6], access: R }',
    to: '{ attribute: fwn, resources: [6, access: R }',
    message: /invalid YAML: Flow sequence/,
  },
  {
    name: 'wrong type (unquoted CoAP code)',
    file: 'status/lwm2m.yaml',
    from: 'code: "2.01"',
    to: 'code: 2.01',
    message: /operations\.create\.rows\[0\]\.code: must be a string: write it in quotes/,
  },
  {
    name: 'wrong type (access)',
    file: 'objects/omadm.yaml',
    from: '{ attribute: vr, path: PkgVersion, access: R }',
    to: '{ attribute: vr, path: PkgVersion, access: 7 }',
    message: /mgmtObjs\.firmware\.attributes\[0\]\.access: "7" must be one of: R, W, RW/,
  },
  {
    name: 'missing default row',
    file: 'status/omadm20.yaml',
    from: '      - code: 4xx\n        label: error - mgmt adapter error\n        note: Unlisted client-side statuses have no row in the seed; the proxy cannot tell the CSE more.\n',
    to: '',
    message: /operations\.delete: no class row for "4xx"/,
    reportedAt: '    source: TS-0005 Table 5.4.1.4.1-2 (DELETE)\n    rows:',
    lineOffset: 1,
  },
  {
    name: 'unknown converter',
    file: 'objects/lwm2m.yaml',
    from: 'converter: kiloBytesToBytes',
    to: 'converter: kiloBytesToByte',
    message: /memory\.mma: unknown converter "kiloBytesToByte" \(known: .*kiloBytesToBytes/,
  },
  {
    name: 'attribute the specialization does not have',
    file: 'objects/lwm2m.yaml',
    from: '{ attribute: btl,',
    to: '{ attribute: btx,',
    message: /battery\.btx: battery has no attribute "btx" \(it has: btl, bts\)/,
  },
  {
    name: 'executable attribute not marked executable',
    file: 'objects/omadm.yaml',
    from: '{ attribute: ud, path: DownloadAndUpdate, access: W, executable: true }',
    to: '{ attribute: ud, path: DownloadAndUpdate, access: W }',
    message: /firmware\.ud: is executable in the specialization/,
  },
  {
    name: 'converter that cannot write on a writable attribute',
    file: 'objects/lwm2m.yaml',
    from: '{ attribute: uds, resources: [3, 5], access: R,',
    to: '{ attribute: uds, resources: [3, 5], access: RW,',
    message: /firmware\.uds: converter firmwareActionStatus only reads/,
  },
  {
    name: 'converter fed the wrong number of resources',
    file: 'objects/lwm2m.yaml',
    from: '{ attribute: uds, resources: [3, 5],',
    to: '{ attribute: uds, resources: [3],',
    message: /converter firmwareActionStatus reads 2 device value\(s\), the attribute maps 1/,
  },
  {
    name: 'progress naming an attribute the mgmtObj does not have',
    file: 'objects/lwm2m.yaml',
    from: 'progress: { status: uds,',
    to: 'progress: { status: udx,',
    message: /firmware\.ud: progress\.status "udx" is not an attribute of this mgmtObj/,
  },
  {
    name: 'progress on an attribute that is not executable',
    file: 'objects/lwm2m.yaml',
    from: '{ attribute: vr, resources: [7], access: R }',
    to: '{ attribute: vr, resources: [7], access: R, progress: { status: uds, results: firmware-update-result } }',
    message: /firmware\.vr: only an executable attribute starts work that is followed/,
  },
  {
    name: 'progress whose status has no converter',
    file: 'objects/lwm2m.yaml',
    from: 'progress: { status: uds,',
    to: 'progress: { status: fwn,',
    message: /firmware\.ud: progress\.status "fwn" has no converter/,
  },
  {
    name: 'CoAP code in a result table',
    file: 'status/lwm2m.yaml',
    from: '      - code: "8"\n        label: error - not executed\n        description: Firmware update failed.',
    to: '      - code: "4.04"\n        label: error - not executed\n        description: Firmware update failed.',
    message: /operations\.firmware-update-result: code "4\.04" is not a result value 0–255 or "other"/,
  },
  {
    name: 'result value in a CoAP table',
    file: 'status/lwm2m.yaml',
    from: 'code: "2.01"',
    to: 'code: "201"',
    message: /operations\.create: code "201" is not a CoAP code/,
  },
  {
    name: 'result table without its other row',
    file: 'status/lwm2m.yaml',
    from: '      - code: other\n        label: error - mgmt adapter error\n        note: A value the object does not define; the proxy cannot convert it.\n  software-update-result:',
    to: '  software-update-result:',
    message: /operations\.firmware-update-result: no row for "other"/,
    reportedAt: '    source: OMA LwM2M Firmware Update object (/5), resource 5 Update Result\n    rows:',
    lineOffset: 1,
  },
  {
    name: 'unknown mgmtObj specialization',
    file: 'objects/omadm.yaml',
    from: '  memory:\n',
    to: '  memmory:\n',
    message: /mgmtObjs\.memmory: not a mgmtObj specialization/,
  },
  {
    name: 'RSC that TS-0004 does not define',
    file: 'status/vocabulary.yaml',
    from: 'rsc: 4015',
    to: 'rsc: 4016',
    message: /4016 is not a oneM2M RSC/,
  },
  {
    name: 'duplicate code row',
    file: 'status/lwm2m.yaml',
    from: '      - code: "4.01"\n        label: error - no privilege\n        description: Access Right Permission Denied.\n      - code: "4.04"',
    to: '      - code: "4.01"\n        label: error - no privilege\n        description: Access Right Permission Denied.\n      - code: "4.01"',
    message: /operations\.create: second row for code "4\.01" \(first at line \d+\)/,
    lineOffset: 3,
  },
  {
    name: 'CoAP code in an OMA DM table',
    file: 'status/omadm13.yaml',
    from: 'code: "200"',
    to: 'code: "2.00"',
    message: /code "2\.00" is not an OMA DM code/,
  },
  {
    name: 'flow sequence left open at the end of its line (reported where it opens, not on the next line)',
    file: 'objects/lwm2m.yaml',
    from: '{ attribute: fwn, resources: [6], access: R } # PkgName',
    to: '{ attribute: fwn, resources: [6',
    message: /invalid YAML: Flow sequence .* \(column 38\)$/,
  },
  {
    name: 'flow map left open (reported where it opens, not on the next line)',
    file: 'objects/lwm2m.yaml',
    from: '{ attribute: fwn, resources: [6], access: R } # PkgName',
    to: '{ attribute: fwn, resources: [6, access: R }',
    message: /invalid YAML: Flow map .* \(column 9\)$/,
  },
  {
    name: 'quote left open',
    file: 'objects/lwm2m.yaml',
    from: '{ attribute: fwn, resources: [6], access: R } # PkgName',
    to: '{ attribute: fwn, resources: [6], access: "R }',
    message: /invalid YAML: Missing closing "quote \(column 51\)$/,
  },
  {
    name: 'unknown proxy outcome',
    file: 'status/omadm20.yaml',
    from: '  - code: nothing-to-send\n',
    to: '  - code: nothing-sent\n',
    message: /proxy\[3\]\.code: "nothing-sent" must be one of: unmapped, no-instance, invalid-value, nothing-to-send, expired/,
  },
  {
    name: 'proxy row missing',
    file: 'status/lwm2m.yaml',
    from: "  - code: expired\n    label: error - not reachable before expiry\n    description: The adapter gave no result by the request's deadline (the core's safety net behind the adapter's own deadline handling).\n",
    to: '',
    message: /proxy: no row for "expired"/,
    reportedAt: 'proxy:\n',
  },
  {
    name: 'unknown key',
    file: 'status/omadm20.yaml',
    from: '        useCachedData: true',
    to: '        useCachedData: true\n        cached: yes',
    message: /operations\.retrieve\.rows\[2\]\.cached: unknown key "cached"/,
    lineOffset: 1,
  },
];

for (const broken of BROKEN) {
  test(`validate fails with file and line on a broken copy: ${broken.name}`, () => {
    const copy = new TableCopy();
    try {
      const edited = copy.edit(broken.file, broken.from, broken.to);
      const line = (broken.reportedAt ? copy.lineOf(broken.file, broken.reportedAt) : edited) + (broken.lineOffset ?? 0);
      const problems = problemsOf(copy);
      const expectedStart = `${copy.path(broken.file)}:${line}: `;
      const hit = problems.find((p) => p.startsWith(expectedStart) && broken.message.test(p));
      assert.ok(hit, `expected ${expectedStart}… ${broken.message}\ngot:\n${problems.join('\n')}`);
    } finally {
      copy.remove();
    }
  });
}

test('the CLI prints every problem as file:line: message and exits 1', async () => {
  const copy = new TableCopy();
  try {
    const labelLine = copy.edit('status/omadm13.yaml', 'label: error - forbidden', 'label: error - forbiden');
    const converterLine = copy.edit('objects/lwm2m.yaml', 'converter: batteryStatusPlusOne', 'converter: batteryPlusOne');
    const result = await runCli(['mappings', 'validate', copy.dir]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/: .*$/, '')), [
      `${copy.path('status/omadm13.yaml')}:${labelLine}`,
      `${copy.path('objects/lwm2m.yaml')}:${converterLine}`,
    ]);
  } finally {
    copy.remove();
  }
});

test('hostile or damaged files give clear errors, never a crash', () => {
  const cases: Array<{ name: string; file: string; content: string | Buffer; message: RegExp }> = [
    { name: 'empty file', file: 'status/vocabulary.yaml', content: '', message: /:1: \(top level\): must be object/ },
    { name: 'binary garbage', file: 'objects/omadm.yaml', content: Buffer.from([0, 1, 0xff, 0xfe, 0x80, 0x0a, 0x3a]), message: /objects\/omadm\.yaml:\d+: / },
    { name: 'alias bomb', file: 'objects/omadm.yaml', content: `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`, message: /objects\/omadm\.yaml:1: invalid YAML: Excessive alias count/ },
    { name: 'deep nesting', file: 'status/lwm2m.yaml', content: `${'['.repeat(20000)}\n`, message: /status\/lwm2m\.yaml:1: invalid YAML/ },
    { name: 'oversized file', file: 'status/omadm13.yaml', content: `# ${'x'.repeat(1024 * 1024 + 10)}\n`, message: /status\/omadm13\.yaml:1: file is \d+ bytes, more than/ },
    { name: 'a list instead of a map', file: 'objects/lwm2m.yaml', content: '- a\n- b\n', message: /objects\/lwm2m\.yaml:1: \(top level\): must be object/ },
    { name: 'duplicate keys', file: 'status/vocabulary.yaml', content: 'labels: {}\nlabels: {}\n', message: /status\/vocabulary\.yaml:2: invalid YAML: Map keys must be unique/ },
  ];
  for (const item of cases) {
    const copy = new TableCopy();
    try {
      copy.write(item.file, item.content as string);
      const problems = problemsOf(copy);
      assert.ok(problems.some((p) => item.message.test(p)), `${item.name}:\n${problems.join('\n')}`);
    } finally {
      copy.remove();
    }
  }
});

test('a missing table or directory is reported, not thrown', async () => {
  const copy = new TableCopy();
  try {
    rmSync(copy.path('objects/omadm.yaml'));
    assert.ok(problemsOf(copy).some((p) => /objects\/omadm\.yaml:1: cannot read: ENOENT/.test(p)));
    const result = await runCli(['mappings', 'validate', copy.path('nowhere')]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /nowhere\/status\/vocabulary\.yaml:1: cannot read: ENOENT/);
  } finally {
    copy.remove();
  }
});

test('usage errors exit 2 with the usage text', async () => {
  for (const args of [[], ['mappings'], ['mappings', 'frobnicate'], ['mappings', 'validate', 'a', 'b'], ['mappings', 'render', '--format', 'pdf'], ['mappings', 'validate', '--nope'], ['frob']]) {
    const result = await runCli(args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /Usage:\n {2}dm-proxy mappings validate/, args.join(' '));
  }
  const help = await runCli(['mappings', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage:/);
});
