/**
 * A `<mgmtObj>` a CSE creates under its own name survives the device's Registration Updates: the proxy recognises the
 * object instance it created by the mgmtObj's objectPaths, so the discovered list (which names that instance
 * `software-<n>`) neither deletes it nor adds a duplicate; it goes only when the instance is gone from the device.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { mgmtObjs } from '../lwm2m/helpers.js';
import { downlink } from '../sim-selftest/test-peer.js';
import dgram from 'node:dgram';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { nodeNameForDevice } from '../../src/onem2m/resources/device-node-naming.js';
import { attachDevice, oneM2M, startProxy, wrap } from './managed-devices.js';

const CREATE_MGMT_OBJ = { 'Content-Type': 'application/json;ty=13' };

describe('a CSE-named software mgmtObj on a simulated LwM2M device, across Registration Updates', () => {
  let proxy: TestProxy;
  let device: SimulatedDevice;
  let node: string;

  before(async () => {
    proxy = await startProxy();
    // Updates only when the test sends them, so each step sees one known object list.
    ({ device, node } = await attachDevice(proxy, { autoUpdate: false }));
  });
  after(async () => {
    device.close();
    await proxy.stop(true);
  });

  /** The node's software mgmtObjs as stored (rn → attributes). */
  async function software(): Promise<Map<string, Record<string, unknown>>> {
    const children = await mgmtObjs(proxy, node.slice(1));
    return new Map([...children].filter(([, attrs]) => attrs.mgd === 1002));
  }

  let created: Record<string, any>;
  let instance: string;

  it('the CSE creates `my-app`: the device gets a new /9 instance and the mgmtObj names it in obps', async () => {
    assert.deepEqual([...(await software()).keys()], ['software-0']);
    const answer = await oneM2M(proxy, 'POST', node, wrap('software', {
      mgd: 1002, rn: 'my-app', swn: 'my-app', vr: '3.1', url: 'sim:my-app', lbl: ['team-a'],
    }), CREATE_MGMT_OBJ);
    assert.equal(answer.rsc, 2001, answer.dbg);
    created = answer.body;
    assert.equal(created.rn, 'my-app');
    assert.equal(created.obps.length, 1);
    instance = created.obps[0];
    assert.match(instance, /^\/9\/[1-9]\d*$/);
    assert.ok(device.instances().includes(instance), `the device holds ${instance}`);
  });

  it('after a Registration Update listing that instance, `my-app` is still there with the same ri and no duplicate', async () => {
    const { code } = await device.update({ objects: true });
    assert.equal(code, '2.04');
    const afterUpdate = await software();
    assert.deepEqual([...afterUpdate.keys()].sort(), ['my-app', 'software-0']);
    assert.equal(afterUpdate.has(`software-${instance.split('/')[2]}`), false, 'no contract-named duplicate');
    const kept = afterUpdate.get('my-app')!;
    assert.equal(kept.ri, created.ri);
    assert.equal(kept.ct, created.ct);
    assert.deepEqual(kept.obps, [instance]);
    assert.deepEqual(kept.lbl, ['team-a']);
    assert.equal(kept.swn, device.value(`${instance}/0`), 'the package name the device reports, not the one the CSE asked for');

    const retrieved = await oneM2M(proxy, 'GET', `${node}/my-app`);
    assert.equal(retrieved.rsc, 2000, retrieved.dbg);
    assert.equal(retrieved.body.ri, created.ri);

    // and again: a second Update changes nothing
    assert.equal((await device.update({ objects: true })).code, '2.04');
    assert.deepEqual([...(await software()).keys()].sort(), ['my-app', 'software-0']);
  });

  it('once the device deleted the instance and updates, `my-app` is gone and software-0 stays', async () => {
    const removed = await downlink(device.address(), { method: 'DELETE', path: instance });
    assert.equal(removed.code, '2.02');
    assert.equal(device.instances().includes(instance), false);
    assert.equal((await device.update({ objects: true })).code, '2.04');
    assert.deepEqual([...(await software()).keys()], ['software-0']);
    assert.equal((await oneM2M(proxy, 'GET', `${node}/my-app`)).rsc, 4004);
  });
});

/** CoAP header byte 1 is the code (class << 5 | detail). */
const CREATED = (2 << 5) | 1;
const CHANGED = (2 << 5) | 4;

/**
 * The device's network: one UDP socket between the simulated device and the proxy, which the proxy takes for the
 * device. It reports each answer the proxy gives the device's Registration Updates (the proxy answers once it has
 * published the object list), and can hold the device's next 2.01 answer (to the Create) until the proxy has answered
 * the Update the device sends right after it: the Update overtakes the Create's answer, as when that answer is delayed
 * or lost once on a radio link. Nothing else is changed or reordered.
 */
class DeviceLink {
  private device?: dgram.RemoteInfo;
  private holding?: { datagrams: Buffer[]; release: (overtaken: boolean) => void; timer: NodeJS.Timeout };
  private updateAnswered: Array<() => void> = [];

  private constructor(private readonly socket: dgram.Socket, private readonly proxyPort: number) {
    socket.on('message', (datagram, from) => {
      if (from.port === proxyPort) this.fromProxy(datagram);
      else this.fromDevice(datagram, from);
    });
  }

  static async open(proxyPort: number): Promise<DeviceLink> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new DeviceLink(socket, proxyPort);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Resolves when the proxy next answers a Registration Update 2.04. */
  nextUpdateAnswer(): Promise<void> {
    return new Promise((resolve) => this.updateAnswered.push(resolve));
  }

  /** Holds the device's next 2.01 (and its retransmissions) until the proxy answered an Update; true if that happened first. */
  holdNextCreatedAnswer(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.release(false), 2000);
      this.holding = { datagrams: [], release: resolve, timer };
    });
  }

  close(): void {
    if (this.holding) this.release(false);
    this.socket.close();
  }

  private fromDevice(datagram: Buffer, from: dgram.RemoteInfo): void {
    this.device = from;
    if (this.holding && datagram[1] === CREATED) this.holding.datagrams.push(datagram);
    else this.socket.send(datagram, this.proxyPort, '127.0.0.1');
  }

  private fromProxy(datagram: Buffer): void {
    if (this.device) this.socket.send(datagram, this.device.port, this.device.address);
    if (datagram[1] !== CHANGED) return;
    if (this.holding && this.holding.datagrams.length > 0) this.release(true);
    for (const answered of this.updateAnswered.splice(0)) answered();
  }

  private release(overtaken: boolean): void {
    const holding = this.holding!;
    this.holding = undefined;
    clearTimeout(holding.timer);
    for (const datagram of holding.datagrams) this.socket.send(datagram, this.proxyPort, '127.0.0.1');
    holding.release(overtaken);
  }
}

describe('a CSE-named software mgmtObj on a simulated LwM2M device that sends its Update right after the Create', () => {
  let proxy: TestProxy;
  let link: DeviceLink;
  let device: SimulatedDevice;
  let node: string;

  before(async () => {
    proxy = await startProxy();
    link = await DeviceLink.open(proxy.coapPort);
    const endpoint = `urn:dev:auto-update-${process.pid}`;
    // autoUpdate: the device sends a Registration Update with its object list right after answering a Create.
    device = await startSimulatedDevice({ endpoint, autoUpdate: true, server: { host: '127.0.0.1', port: link.port } });
    assert.equal((await device.register()).code, '2.01');
    node = `/proxy/${nodeNameForDevice(endpoint)}`;
  });
  after(async () => {
    device.close();
    link.close();
    await proxy.stop(true);
  });

  async function softwareNames(): Promise<string[]> {
    return [...(await mgmtObjs(proxy, node.slice(1)))].filter(([, attrs]) => attrs.mgd === 1002).map(([name]) => name).sort();
  }

  /** The CSE creates `rn`; returns once both the proxy's answer and the device's own Update's answer are in. */
  async function cseCreates(rn: string, updateFirst: boolean): Promise<Record<string, any>> {
    const updated = link.nextUpdateAnswer();
    const overtaken = updateFirst ? link.holdNextCreatedAnswer() : undefined;
    const answer = await oneM2M(proxy, 'POST', node, wrap('software', {
      mgd: 1002, rn, swn: rn, vr: '1.0', url: `sim:${rn}`,
    }), CREATE_MGMT_OBJ);
    assert.equal(answer.rsc, 2001, answer.dbg);
    await updated;
    if (overtaken) assert.equal(await overtaken, true, 'the Update was published before the Create\'s answer reached the proxy');
    return answer.body;
  }

  /** Exactly one resource, `rn`, is bound to the instance it created; no `software-<n>` for it. */
  async function onlyOneFor(created: Record<string, any>, rn: string): Promise<void> {
    const [instance] = created.obps as string[];
    assert.match(instance, /^\/9\/[1-9]\d*$/);
    assert.ok(device.instances().includes(instance));
    const children = await mgmtObjs(proxy, node.slice(1));
    const bound = [...children].filter(([, attrs]) => attrs.mgd === 1002 && (attrs.obps as string[]).some((p) => p === instance));
    assert.deepEqual(bound.map(([name]) => name), [rn], `one resource for ${instance}`);
    assert.equal(bound[0][1].ri, created.ri);
    assert.equal(children.has(`software-${instance.split('/')[2]}`), false, `no software-<n> for ${instance}`);
  }

  it('the Update overtakes the Create\'s answer: the CSE\'s `my-app` replaces the software-<n> the refresh published', async () => {
    const created = await cseCreates('my-app', true);
    await onlyOneFor(created, 'my-app');
    assert.deepEqual(await softwareNames(), ['my-app', 'software-0']);
    const retrieved = await oneM2M(proxy, 'GET', `${node}/my-app`);
    assert.equal(retrieved.rsc, 2000, retrieved.dbg);
    assert.equal(retrieved.body.ri, created.ri);

    // a later Update keeps it that way
    assert.equal((await device.update({ objects: true })).code, '2.04');
    await onlyOneFor(created, 'my-app');
    assert.deepEqual(await softwareNames(), ['my-app', 'software-0']);
  });

  it('the Create\'s answer comes first (the usual order): the refresh finds `my-app-2` by obps, no duplicate', async () => {
    const created = await cseCreates('my-app-2', false);
    await onlyOneFor(created, 'my-app-2');
    assert.deepEqual(await softwareNames(), ['my-app', 'my-app-2', 'software-0']);
  });

  it('repeated rounds in both orders each leave one resource per new instance', async () => {
    const expected = ['my-app', 'my-app-2', 'software-0'];
    for (let round = 1; round <= 4; round++) {
      const rn = `round-${round}`;
      await onlyOneFor(await cseCreates(rn, round % 2 === 1), rn);
      expected.push(rn);
      assert.deepEqual(await softwareNames(), expected.sort());
    }
  });
});
