import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMappings } from '../../src/mappings/loader.js';
import type { LoadedMappingSet } from '../../src/mappings/mapping-set.js';
import { omadmNodePath } from '../../src/mappings/object-tables.js';
import { renderHtml, renderMarkdown } from '../../src/mappings/render.js';
import { runCli } from './cli-runner.js';
import { SHIPPED_TABLES, TableCopy } from './table-copy.js';

function loadShipped(): LoadedMappingSet {
  const result = loadMappings(SHIPPED_TABLES, 'default');
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  return result.set;
}

/** [mgmtObj, attribute, object, multi-instance, resources, access, executable, converter] from reference onem2m.md §4.3. */
const LWM2M_ROWS: Array<[string, string, number, boolean, number[], string, boolean, string?]> = [
  ['firmware', 'url', 5, false, [1], 'RW', false],
  ['firmware', 'ud', 5, false, [2], 'W', true],
  ['firmware', 'uds', 5, false, [3, 5], 'R', false, 'firmwareActionStatus'],
  ['software', 'in', 9, true, [4], 'W', true],
  ['software', 'un', 9, true, [6], 'W', true],
  ['software', 'ins', 9, true, [7, 9], 'R', false, 'softwareInstallStatus'],
  ['software', 'acts', 9, true, [12], 'R', false, 'activationStatus'],
  ['memory', 'mma', 3, false, [10], 'R', false, 'kiloBytesToBytes'],
  ['memory', 'mmt', 3, false, [21], 'R', false, 'kiloBytesToBytes'],
  ['battery', 'bts', 3, false, [20], 'R', false, 'batteryStatusPlusOne'],
  ['deviceInfo', 'syst', 3, false, [13], 'RW', false, 'lwm2mTimeToTimestamp'],
  ['deviceInfo', 'fwv', 3, false, [3], 'R', false],
  ['reboot', 'rbo', 3, false, [4], 'W', true],
  ['reboot', 'far', 3, false, [5], 'W', true],
  ['deviceCapability', 'ena', 15, true, [5], 'W', true],
  ['deviceCapability', 'dis', 15, true, [6], 'W', true],
  ['eventLog', 'lgst', 20, true, [4013], 'R', false, 'eventLogStatus'],
  ['eventLog', 'lgd', 20, true, [4014], 'R', false, 'opaqueToBase64'],
  ['mobileNetwork', 'cnb', 4, false, [0], 'R', false],
  ['mobileNetwork', 'coel', 4, false, [13], 'R', false],
];

test('every required specialization has an LwM2M mapping with the reference resources', () => {
  const set = loadShipped();
  const required = ['firmware', 'software', 'memory', 'battery', 'deviceInfo', 'reboot', 'deviceCapability', 'eventLog', 'mobileNetwork'];
  assert.deepEqual(set.lwm2mObjects.map((o) => o.mgmtObj).sort(), [...required].sort());
  for (const [mgmtObj, attribute, objectId, multiInstance, resources, access, executable, converter] of LWM2M_ROWS) {
    const object = set.lwm2mByMgmtObj(mgmtObj)!;
    assert.deepEqual([object.objectId, object.multiInstance], [objectId, multiInstance], mgmtObj);
    const mapping = object.byAttribute.get(attribute);
    assert.deepEqual(mapping && [mapping.resources, mapping.access, mapping.executable, mapping.converter], [resources, access, executable, converter], `${mgmtObj}.${attribute}`);
  }
  assert.equal(set.lwm2mByMgmtObj('areaNwkInfo'), undefined);
});

test('object 3 feeds deviceInfo, memory, battery and reboot; unknown objects feed nothing', () => {
  const set = loadShipped();
  assert.deepEqual(set.lwm2mByObjectId(3).map((m) => m.mgmtObj).sort(), ['battery', 'deviceInfo', 'memory', 'reboot']);
  assert.deepEqual(set.lwm2mByObjectId(5).map((m) => m.mgmtObj), ['firmware']);
  assert.deepEqual(set.lwm2mByObjectId(31024), []);
});

test('OMA DM mappings: FUMO per TS-0005 Table 5.3.2-1, DevDetail leaves by absolute path, DM 2.0 paths', () => {
  const set = loadShipped();
  assert.deepEqual(set.omadmObjects.map((o) => o.mgmtObj).sort(), ['battery', 'deviceInfo', 'firmware', 'memory', 'reboot', 'software']);
  const fumo = set.omadmByMgmtObj('firmware')!;
  assert.equal(fumo.moUrn, 'urn:oma:mo:oma-fumo:1.0');
  const paths = Object.fromEntries(fumo.attributes.map((a) => [a.attribute, omadmNodePath(fumo, a)]));
  assert.deepEqual(paths, { vr: './FUMO/PkgVersion', fwn: './FUMO/PkgName', url: './FUMO/DownloadAndUpdate/PkgURL', ud: './FUMO/DownloadAndUpdate', uds: './FUMO/State' });
  assert.equal(fumo.byAttribute.get('ud')!.executable, true);
  assert.equal(fumo.byAttribute.get('uds')!.converter, 'fumoStateToActionStatus');
  const devInfo = set.omadmByMgmtObj('deviceInfo')!;
  const fwv = devInfo.byAttribute.get('fwv')!;
  assert.equal(omadmNodePath(devInfo, fwv), './DevDetail/FwV');
  assert.equal(omadmNodePath(devInfo, fwv, 'omadm20'), './DevInfo/FwV');
  assert.equal(omadmNodePath(devInfo, devInfo.byAttribute.get('man')!, 'omadm20'), './DevInfo/Man');
});

test('the loaded tables are immutable', () => {
  const set = loadShipped();
  const firmware = set.lwm2mByMgmtObj('firmware')!;
  assert.throws(() => {
    (firmware as { objectId: number }).objectId = 6;
  }, TypeError);
  assert.throws(() => {
    (set.status('lwm2m', 'read', '2.05') as { rsc: number }).rsc = 1;
  }, TypeError);
});

test('explain --mgmtobj tells where an attribute goes', async () => {
  const lwm2m = await runCli(['mappings', 'explain', '--dir', SHIPPED_TABLES, '--mgmtobj', 'software', '--attribute', 'ins', '--protocol', 'lwm2m']);
  assert.equal(lwm2m.status, 0, lwm2m.stderr);
  assert.deepEqual(JSON.parse(lwm2m.stdout), {
    protocol: 'lwm2m', mgmtObj: 'software', attribute: 'ins', objectId: 9, multiInstance: true, resources: [7, 9],
    path: '/9/{instance}/7', paths: ['/9/{instance}/7', '/9/{instance}/9'], access: 'R', executable: false, converter: 'softwareInstallStatus',
  });
  const omadm = await runCli(['mappings', 'explain', '--dir', SHIPPED_TABLES, '--mgmtobj', 'firmware', '--attribute', 'ud', '--protocol', 'omadm']);
  assert.equal(omadm.status, 0, omadm.stderr);
  assert.deepEqual(JSON.parse(omadm.stdout), {
    protocol: 'omadm', mgmtObj: 'firmware', attribute: 'ud', moUrn: 'urn:oma:mo:oma-fumo:1.0', rootPath: './FUMO',
    path: './FUMO/DownloadAndUpdate', access: 'W', executable: true, converter: null,
  });
  const missing = await runCli(['mappings', 'explain', '--dir', SHIPPED_TABLES, '--mgmtobj', 'firmware', '--attribute', 'zz', '--protocol', 'lwm2m']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /attribute "zz" of firmware has no lwm2m mapping/);
  const badProtocol = await runCli(['mappings', 'explain', '--dir', SHIPPED_TABLES, '--mgmtobj', 'firmware', '--attribute', 'ud', '--protocol', 'tr069']);
  assert.equal(badProtocol.status, 2);
  const noAttribute = await runCli(['mappings', 'explain', '--dir', SHIPPED_TABLES, '--mgmtobj', 'firmware', '--protocol', 'lwm2m']);
  assert.equal(noAttribute.status, 2);
  assert.match(noAttribute.stderr, /--attribute is required/);
});

test('render: Markdown and HTML carry every table row', async () => {
  const set = loadShipped();
  const markdown = renderMarkdown(set);
  assert.match(markdown, /^# onem2m-dm-proxy mapping tables/);
  assert.match(markdown, /### retrieve \(TS-0005 Table 5\.4\.1\.2\.1-2 \(HPUT, HPOST or GET\)\)/);
  assert.match(markdown, /\| 304 \| success \| 2000 \| OK \| 200 \| yes \| .*Answers with the cached data\. \|/);
  assert.match(markdown, /\| uds \| \/5\/0\/3, \/5\/0\/5 \| R \| {2}\| firmwareActionStatus \|/);
  const tableRows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Code') && !line.startsWith('| Attribute'));
  const statusRows = set.statusViews.reduce((n, v) => n + v.rows.length, 0);
  const attributeRows = [...set.lwm2mObjects, ...set.omadmObjects].reduce((n, o) => n + o.attributes.length, 0);
  assert.equal(tableRows.length, statusRows + attributeRows);

  const html = renderHtml(set);
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<td>The data requested is not modified\. The &lt;mgmtObj&gt; Resource hosting CSE/);
  assert.equal((html.match(/<tr>/g) ?? []).length, statusRows + attributeRows + set.statusViews.length + set.lwm2mObjects.length + set.omadmObjects.length);

  const viaCli = await runCli(['mappings', 'render', '--format', 'html', '--dir', SHIPPED_TABLES]);
  assert.equal(viaCli.status, 0, viaCli.stderr);
  assert.equal(viaCli.stdout, `${html}\n`);
});

test('render and explain refuse broken tables with exit 1', async () => {
  const copy = new TableCopy();
  try {
    copy.edit('status/vocabulary.yaml', 'rsc: 4015', 'rsc: 4016');
    const render = await runCli(['mappings', 'render', '--dir', copy.dir]);
    assert.equal(render.status, 1);
    assert.match(render.stderr, /status\/vocabulary\.yaml:\d+: .*4016 is not a oneM2M RSC/);
    assert.equal(render.stdout, '');
  } finally {
    copy.remove();
  }
});
