/**
 * Issue 15, point 8: an XML answer and a JSON answer of the same resource carry the same attributes with the same
 * values, for every specialization of the dictionary. Two levels: the codec, with every attribute of each
 * specialization filled from its dictionary type; and real HTTP Retrieves of a resource of each specialization.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { MGMT_OBJ_SPECS, type AttributeInfo, type MgmtObjSpec } from '../../src/core/attribute-dictionary.js';
import { decodeContent, encodeContent } from '../../src/onem2m/binding/content-codec.js';
import { decodeXml } from '../../src/onem2m/binding/xml-codec.js';
import { validateContent } from '../../src/onem2m/resources/content-validator.js';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { assertWellFormedXml } from '../helpers/strict-xml.js';
import { attachDevice, oneM2M, startProxy, type ManagedDevice } from '../management/managed-devices.js';

const NAMESPACES: Record<string, string> = { m2m: 'http://www.onem2m.org/xml/protocols', dcfg: 'http://www.onem2m.org/xml/protocols/dcfg' };
const XML_TYPES = ['application/xml', 'application/vnd.onem2m-res+xml'];
/** Schedule entries hold spaces, so a list of them cannot be one space-separated XML value. */
const SCHEDULE_ENTRIES = ['* 0-5 2,6,10 * * * *', '0 0 12 * * 1-5 *'];

/** A value of the attribute's dictionary type (two items for a list, every member for an object). */
function sample(info: AttributeInfo): unknown {
  switch (info.kind) {
    case 'string':
      return `${info.short}-value`;
    case 'anyURI':
      return `/id-proxy/${info.short}`;
    case 'timestamp':
      return '20361202T120000,5'; // in the future: an et must be
    case 'boolean':
      return true;
    case 'integer':
      return info.values?.at(-1) ?? info.maximum ?? (info.minimum ?? 0) + 7;
    case 'object':
      return info.fields ? Object.fromEntries(info.fields.map((field) => [field.short, sample(field)])) : { note: 'free-form' };
    case 'list':
      return listSample(info);
    case 'any':
      return `${info.short}-anything`;
    case 'ipv4Address':
      return '192.0.2.7';
    case 'ipv6Address':
      return '2001:db8::7';
  }
}

function listSample(info: AttributeInfo): unknown[] {
  switch (info.itemKind) {
    case 'object':
      return [sample({ ...info, kind: 'object' }), sample({ ...info, kind: 'object' })];
    case 'boolean':
      return [false, true];
    case 'integer': {
      const values = info.values ?? [info.minimum ?? 0, info.maximum ?? (info.minimum ?? 0) + 7];
      return [values[0], values.at(-1)];
    }
    case 'string':
      return info.repeatedElements ? [...SCHEDULE_ENTRIES] : [`${info.short}-a`, `${info.short}-b`];
    default:
      return [`/id-proxy/${info.short}-a`, `/id-proxy/${info.short}-b`];
  }
}

/** Every attribute the dictionary gives the specialization, as a Retrieve would show it. */
function fullResource(spec: MgmtObjSpec): Record<string, unknown> {
  const resource = Object.fromEntries(spec.attributes.map((attribute) => [attribute.short, sample(attribute)]));
  return { ...resource, ty: 13, mgd: spec.mgd, rn: `${spec.type}-1` };
}

function namespaceOf(rootKey: string): string {
  return NAMESPACES[rootKey.slice(0, rootKey.indexOf(':'))];
}

describe('codec: JSON → XML → JSON keeps every attribute of every specialization', () => {
  for (const spec of MGMT_OBJ_SPECS) {
    it(`${spec.rootKey} (${spec.type}, mgd ${spec.mgd})`, async () => {
      const content = { [spec.rootKey]: fullResource(spec) };
      const xml = encodeContent('xml', content);
      const root = assertWellFormedXml(xml).elements[0];
      assert.deepEqual(root, { name: spec.rootKey, uri: namespaceOf(spec.rootKey) });
      assert.deepEqual(await decodeContent('xml', Buffer.from(xml)), content);
      assert.deepEqual(await decodeContent('json', Buffer.from(encodeContent('json', content))), content);
    });
  }
});

test('the Create the HTTP part sends for each specialization is valid content (so a 4000 never hides a stored path)', () => {
  for (const spec of MGMT_OBJ_SPECS) validateContent(spec, 'create', createContent(spec)[spec.rootKey]);
});

test('codec: schedule entries travel as one <sce> element each', () => {
  const xml = encodeContent('xml', { 'dcfg:datc': { cntp: '/id-proxy/cnt', rpsc: [{ sce: SCHEDULE_ENTRIES }] } });
  const names = assertWellFormedXml(xml).elements.map((element) => element.name);
  assert.deepEqual(names, ['dcfg:datc', 'cntp', 'rpsc', 'sce', 'sce']);
});

/** The resource's attributes in one format; `undefined` when the answer is not 2000. */
async function retrieve(proxy: TestProxy, path: string, accept: string): Promise<Record<string, unknown> | undefined> {
  const response = await proxy.request('GET', path, { headers: { Accept: accept } });
  const text = await response.text();
  assert.equal(response.headers.get('x-m2m-rsc'), '2000', `${accept} Retrieve of ${path}: ${text}`);
  const content = accept.includes('xml') ? await decodeXml(text) : (JSON.parse(text) as Record<string, unknown>);
  const roots = Object.keys(content);
  assert.equal(roots.length, 1, `one root in ${text}`);
  return content[roots[0]] as Record<string, unknown>;
}

/**
 * JSON, then each XML type, then JSON again: a device value may change between reads (a clock), so the XML answers
 * are judged against JSON reads that agree with each other around them.
 */
async function assertSameInJsonAndXml(proxy: TestProxy, path: string, rootKey: string): Promise<Record<string, unknown>> {
  for (let attempt = 1; ; attempt++) {
    const first = await retrieve(proxy, path, 'application/json');
    const xmls = [];
    for (const type of XML_TYPES) xmls.push(await retrieve(proxy, path, type));
    const last = await retrieve(proxy, path, 'application/json');
    if (attempt < 5 && JSON.stringify(first) !== JSON.stringify(last)) continue;
    assert.deepEqual(first, last, `${path}: JSON answers still differ after ${attempt} attempts`);
    for (const [index, xml] of xmls.entries()) {
      assert.deepEqual(Object.keys(xml!).sort(), Object.keys(last!).sort(), `${rootKey} ${XML_TYPES[index]}: attribute set`);
      assert.deepEqual(xml, last, `${rootKey} ${XML_TYPES[index]}: values`);
    }
    return last!;
  }
}

/** What a Create may carry: every attribute allowed on Create; an executable only where mandatory, and false (no action). */
function createContent(spec: MgmtObjSpec): Record<string, unknown> {
  const allowed = spec.attributes.filter((a) => !a.readOnly && a.create !== 'NP' && (!a.executable || a.create === 'M'));
  const values = allowed.map((a) => [a.short, a.executable ? false : sample(a)]);
  return { [spec.rootKey]: { ...Object.fromEntries(values), mgd: spec.mgd, rn: `parity-${spec.type}` } };
}

describe('over HTTP: a Retrieve in JSON and in XML answers the same attributes, for every specialization', () => {
  let proxy: TestProxy;
  let managed: ManagedDevice;
  /** The device's mgmtObjs by mgd (the mapped objects of the LwM2M simulator). */
  const onDevice = new Map<number, string>();
  /** A node the CSE created, with no device behind it. */
  const staging = '/proxy/parity-staging';

  before(async () => {
    proxy = await startProxy();
    managed = await attachDevice(proxy, { autoUpdate: false });
    const listing = await oneM2M(proxy, 'GET', `${managed.node}?rcn=4`);
    assert.equal(listing.rsc, 2000);
    for (const children of Object.values(listing.body)) {
      for (const child of [children].flat() as Array<Record<string, unknown>>) {
        if (typeof child.mgd === 'number' && !onDevice.has(child.mgd)) onDevice.set(child.mgd, `${managed.node}/${String(child.rn)}`);
      }
    }
    const node = await oneM2M(proxy, 'POST', '/proxy', { 'm2m:nod': { rn: 'parity-staging', ni: 'urn:dev:parity-not-yet-seen' } }, { 'Content-Type': 'application/json;ty=14' });
    assert.equal(node.rsc, 2001, node.dbg);
  });

  after(async () => {
    managed?.device.close();
    await proxy?.stop(true);
  });

  it('the simulated device offers mapped specializations to compare', () => {
    assert.ok(onDevice.size >= 5, `mapped mgmtObjs on the device: ${[...onDevice.values()].join(', ')}`);
  });

  for (const spec of MGMT_OBJ_SPECS) {
    it(`${spec.rootKey} (${spec.type}, mgd ${spec.mgd})`, async () => {
      let path = onDevice.get(spec.mgd);
      if (path === undefined) {
        // staged by the proxy on a node with no device behind it (issue 15, point 9)
        const created = await oneM2M(proxy, 'POST', staging, createContent(spec), { 'Content-Type': 'application/json;ty=13' });
        assert.equal(created.rsc, 2001, created.dbg);
        path = `${staging}/parity-${spec.type}`;
      }
      const shown = await assertSameInJsonAndXml(proxy, path, spec.rootKey);
      assert.equal(shown.mgd, spec.mgd);
    });
  }
});
