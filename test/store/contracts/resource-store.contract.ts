/** The promises of ResourceStore (src/store/resource-store.ts), for any implementation. */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DescendantQuery, ResourceStore, StoredResource } from '../../../src/store/resource-store.js';
import { ResourceConditionError, ResourceConflictError } from '../../../src/store/store-errors.js';
import { openedStores, type OpenStore } from './opened.js';

function resource(ri: string, pi: string, rn: string, parentPath = 'proxy'): StoredResource {
  const resourcePath = pi === '' ? rn : `${parentPath}/${rn}`;
  return { ri, pi, ty: pi === '' ? 5 : 14, rn, path: resourcePath, attrs: { ri, rn, pi, lbl: ['a', 'b'], nested: { n: 1 } }, internal: { protocol: 'lwm2m' } };
}

const ris = (resources: StoredResource[]): string[] => resources.map((r) => r.ri);

export function resourceStoreContract(name: string, open: OpenStore<ResourceStore>): void {
  describe(`ResourceStore contract: ${name}`, () => {
    const stores = openedStores(open);
    afterEach(() => stores.disposeAll());
    const fresh = async (): Promise<ResourceStore> => (await stores.open()).store;

    test('resources are found by ri and by path; unknown ones are undefined', async () => {
      const store = await fresh();
      await store.putResource(resource('cb1', '', 'proxy'));
      await store.putResource(resource('n1', 'cb1', 'alpha'));
      assert.deepEqual(await store.getResource('n1'), resource('n1', 'cb1', 'alpha'));
      assert.deepEqual(await store.getResourceByPath('proxy/alpha'), resource('n1', 'cb1', 'alpha'));
      assert.deepEqual(await store.getResourceByPath('proxy'), resource('cb1', '', 'proxy'));
      assert.equal(await store.getResource('missing'), undefined);
      assert.equal(await store.getResourceByPath('proxy/missing'), undefined);
      assert.deepEqual(await store.listChildren('n1'), []);
    });

    test('nodes are found by their ni, whatever their name; an ni changed or deleted is found no more', async () => {
      const store = await fresh();
      const node = (ri: string, rn: string, ni: string): StoredResource => ({ ...resource(ri, 'cb1', rn), attrs: { ri, rn, ni } });
      await store.putResource(resource('cb1', '', 'proxy'));
      await store.putResource(node('n1', 'my-meter', 'urn:dev:1'));
      await store.putResource(node('n2', 'dev_2', 'urn:dev:2'));
      await store.putResource({ ...resource('m1', 'n1', 'fw', 'proxy/my-meter'), ty: 13, attrs: { ni: 'urn:dev:1' } });
      assert.deepEqual(ris(await store.findNodesByNodeId('urn:dev:1')), ['n1']);
      assert.deepEqual(await store.findNodesByNodeId('urn:dev:3'), []);
      await store.putResources([node('n1', 'my-meter', 'urn:dev:3')]);
      assert.deepEqual(await store.findNodesByNodeId('urn:dev:1'), []);
      assert.deepEqual(ris(await store.findNodesByNodeId('urn:dev:3')), ['n1']);
      await store.deleteResource('n2');
      assert.deepEqual(await store.findNodesByNodeId('urn:dev:2'), []);
    });

    test('children come in creation order: a replaced resource keeps its place, one deleted and written again comes last', async () => {
      const store = await fresh();
      await store.putResource(resource('cb1', '', 'proxy'));
      await store.putResource(resource('z', 'cb1', 'zeta'));
      await store.putResource(resource('a', 'cb1', 'alpha'));
      await store.putResource(resource('m', 'cb1', 'mu'));
      assert.deepEqual(ris(await store.listChildren('cb1')), ['z', 'a', 'm']);
      await store.putResource({ ...resource('z', 'cb1', 'renamed'), attrs: { changed: true } });
      assert.deepEqual(ris(await store.listChildren('cb1')), ['z', 'a', 'm']);
      await store.deleteResource('z');
      await store.putResource(resource('z', 'cb1', 'zeta'));
      assert.deepEqual(ris(await store.listChildren('cb1')), ['a', 'm', 'z']);
      assert.deepEqual(ris(await store.listChildren('')), ['cb1']);
    });

    test('putResource replaces the resource with the same ri, path lookups follow a rename', async () => {
      const store = await fresh();
      await store.putResource(resource('n1', 'cb1', 'alpha'));
      await store.putResource({ ...resource('n1', 'cb1', 'beta'), attrs: { changed: true } });
      assert.deepEqual((await store.getResource('n1'))?.attrs, { changed: true });
      assert.equal(await store.getResourceByPath('proxy/alpha'), undefined);
      assert.equal((await store.getResourceByPath('proxy/beta'))?.ri, 'n1');
      assert.equal((await store.listChildren('cb1')).length, 1);
    });

    test('a value read is the reader\'s own down to its attributes; nested values are never changed through it', async () => {
      const store = await fresh();
      await store.putResource(resource('n1', 'cb1', 'alpha'));
      for (const read of [(await store.getResource('n1'))!, (await store.getResourceByPath('proxy/alpha'))!, (await store.listChildren('cb1'))[0]]) {
        read.rn = 'changed';
        read.attrs.lbl = ['changed'];
        delete read.attrs.pi;
        (read.internal as { protocol: string }).protocol = 'changed';
        // nested values may be shared and frozen: changing one in place either throws or changes nothing stored
        try {
          (read.attrs.nested as { n: number }).n = 2;
        } catch (error) {
          assert.ok(error instanceof TypeError);
        }
        assert.deepEqual(await store.getResource('n1'), resource('n1', 'cb1', 'alpha'));
        assert.deepEqual(await store.getResourceByPath('proxy/alpha'), resource('n1', 'cb1', 'alpha'));
      }
    });

    test('a second sibling with the same name is refused with ResourceConflictError and nothing changes; other parents may use it', async () => {
      const store = await fresh();
      await store.putResource(resource('n1', 'cb1', 'alpha'));
      await assert.rejects(store.putResource(resource('n2', 'cb1', 'alpha')), ResourceConflictError);
      assert.equal(await store.getResource('n2'), undefined);
      assert.equal((await store.getResourceByPath('proxy/alpha'))?.ri, 'n1');
      await store.putResource(resource('m1', 'n1', 'alpha', 'proxy/alpha'));
      assert.equal((await store.getResourceByPath('proxy/alpha/alpha'))?.ri, 'm1');
    });

    test('putResources is all or nothing: a failing write undoes the earlier writes and deletes of the same call', async () => {
      const store = await fresh();
      await store.putResource(resource('keep', 'cb1', 'keep'));
      const batch = [resource('a', 'cb1', 'first'), resource('b', 'cb1', 'second'), resource('c', 'cb1', 'first')];
      await assert.rejects(store.putResources(batch, ['keep']), ResourceConflictError);
      assert.equal(await store.getResource('a'), undefined);
      assert.equal(await store.getResource('b'), undefined);
      assert.equal((await store.getResource('keep'))?.rn, 'keep');
    });

    test('putResources deletes first, so a resource can be replaced under the same name in one call; unknown ris are ignored', async () => {
      const store = await fresh();
      await store.putResource(resource('old', 'cb1', 'name'));
      await store.putResource({ ...resource('oldchild', 'old', 'child', 'proxy/name'), ty: 13 });
      await store.putResources([resource('new', 'cb1', 'name')], ['old', 'never-stored']);
      assert.equal((await store.getResourceByPath('proxy/name'))?.ri, 'new');
      assert.equal(await store.getResource('oldchild'), undefined);
    });

    test('condition "exists": the write happens while the resource is stored, and writes nothing once it is gone', async () => {
      const store = await fresh();
      await store.putResources([resource('cb1', '', 'proxy'), resource('n1', 'cb1', 'node1'), resource('other', 'cb1', 'other')]);
      await store.putResources([resource('m1', 'n1', 'first', 'proxy/node1')], [], [{ exists: 'n1' }]);
      assert.equal((await store.getResource('m1'))?.pi, 'n1');
      await store.deleteResource('n1');
      await assert.rejects(
        store.putResources([resource('m2', 'n1', 'second', 'proxy/node1')], ['other'], [{ exists: 'n1' }]),
        ResourceConditionError,
      );
      assert.equal(await store.getResource('m2'), undefined);
      assert.equal((await store.getResource('other'))?.rn, 'other');
    });

    test('condition "unchanged": holds for the resource as read, fails once anyone wrote or deleted it', async () => {
      const store = await fresh();
      await store.putResource(resource('n1', 'cb1', 'node1'));
      const read = (await store.getResource('n1'))!;
      const first = { ...read, attrs: { ...read.attrs, lbl: ['first'] } };
      await store.putResources([first], [], [{ unchanged: read }]);
      const second = { ...read, attrs: { ...read.attrs, lbl: ['second'] } };
      await assert.rejects(store.putResources([second], [], [{ unchanged: read }]), ResourceConditionError);
      assert.deepEqual((await store.getResource('n1'))?.attrs.lbl, ['first']);
      const latest = (await store.getResource('n1'))!;
      await store.deleteResource('n1');
      await assert.rejects(store.putResources([latest], [], [{ unchanged: latest }]), ResourceConditionError);
      assert.equal(await store.getResource('n1'), undefined);
    });

    test('of two writes conditioned on the same read, started together, exactly one succeeds', async () => {
      const store = await fresh();
      await store.putResource(resource('n1', 'cb1', 'node1'));
      const read = (await store.getResource('n1'))!;
      const write = (label: string) => store.putResources([{ ...read, attrs: { ...read.attrs, lbl: [label] } }], [], [{ unchanged: read }]);
      const results = await Promise.allSettled([write('one'), write('two')]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      assert.ok(rejected.reason instanceof ResourceConditionError);
      const winner = results[0].status === 'fulfilled' ? 'one' : 'two';
      assert.deepEqual((await store.getResource('n1'))?.attrs.lbl, [winner]);
    });

    test('condition "childrenOf": holds for the children as listed (any order), fails once one was added or removed', async () => {
      const store = await fresh();
      await store.putResources([resource('n1', 'cb1', 'node1'), resource('a', 'n1', 'a', 'proxy/node1'), resource('b', 'n1', 'b', 'proxy/node1')]);
      const listed = ris(await store.listChildren('n1'));
      await store.putResource({ ...resource('a', 'n1', 'a', 'proxy/node1'), attrs: { edited: true } });
      await store.putResources([resource('c', 'n1', 'c', 'proxy/node1')], [], [{ childrenOf: 'n1', are: [...listed].reverse() }]);
      await assert.rejects(
        store.putResources([resource('d', 'n1', 'd', 'proxy/node1')], ['a'], [{ childrenOf: 'n1', are: listed }]),
        ResourceConditionError,
      );
      assert.equal(await store.getResource('d'), undefined);
      assert.equal((await store.getResource('a'))?.rn, 'a');
      await store.deleteResource('c');
      await store.deleteResource('b');
      await assert.rejects(store.putResources([resource('d', 'n1', 'd', 'proxy/node1')], [], [{ childrenOf: 'n1', are: listed }]), ResourceConditionError);
      await store.putResources([resource('d', 'n1', 'd', 'proxy/node1')], [], [{ childrenOf: 'n1', are: ['a'] }]);
      await store.putResources([resource('e', 'empty', 'e', 'proxy/empty')], [], [{ childrenOf: 'empty', are: [] }]);
      assert.deepEqual(ris(await store.listChildren('n1')), ['a', 'd']);
    });

    test('deleteResource removes every descendant and returns the deleted ris; an unknown ri deletes nothing', async () => {
      const store = await fresh();
      await store.putResources([
        resource('cb1', '', 'proxy'),
        resource('n1', 'cb1', 'node1'),
        { ...resource('m1', 'n1', 'firmware', 'proxy/node1'), ty: 13 },
        { ...resource('m2', 'n1', 'battery', 'proxy/node1'), ty: 13 },
        { ...resource('x1', 'm2', 'deep', 'proxy/node1/battery'), ty: 13 },
        resource('n2', 'cb1', 'node2'),
      ]);
      assert.deepEqual([...(await store.deleteResource('n1'))].sort(), ['m1', 'm2', 'n1', 'x1']);
      for (const gone of ['n1', 'm1', 'm2', 'x1']) assert.equal(await store.getResource(gone), undefined);
      assert.equal(await store.getResourceByPath('proxy/node1/battery/deep'), undefined);
      assert.equal((await store.getResource('n2'))?.rn, 'node2');
      assert.deepEqual(await store.deleteResource('n1'), []);
    });

    /** A step-by-step scan to its end: every step's matches, in order. */
    const scanAll = async (store: ResourceStore, query: Omit<DescendantQuery, 'after'>): Promise<{ paths: string[]; steps: number }> => {
      const paths: string[] = [];
      let after: number | undefined;
      for (let steps = 1; ; steps++) {
        const chunk = await store.findDescendants({ ...query, after });
        paths.push(...chunk.matches.map((match) => match.path));
        if (chunk.next === undefined) return { paths, steps };
        after = chunk.next;
      }
    };
    const mgmtObj = (ri: string, pi: string, rn: string, parentPath: string, mgd: number): StoredResource => ({
      ri, pi, ty: 13, rn, path: `${parentPath}/${rn}`, attrs: { ri, rn, pi, mgd, lbl: [`mgd-${mgd}`] }, internal: {},
    });
    /** proxy → node0..node4 (lbl even/odd), each with battery (1006) and firmware (1001); plus a deeper one under node1's battery. */
    const tree = async (store: ResourceStore): Promise<void> => {
      await store.putResource(resource('cb1', '', 'proxy'));
      for (let i = 0; i < 5; i++) {
        await store.putResource({ ...resource(`n${i}`, 'cb1', `node${i}`), attrs: { lbl: [i % 2 === 0 ? 'even' : 'odd', 'node'] } });
      }
      for (let i = 0; i < 5; i++) {
        await store.putResource(mgmtObj(`b${i}`, `n${i}`, 'battery', `proxy/node${i}`, 1006));
        await store.putResource(mgmtObj(`f${i}`, `n${i}`, 'firmware', `proxy/node${i}`, 1001));
      }
      await store.putResource({ ...resource('deep', 'b1', 'deep', 'proxy/node1/battery'), ty: 23, attrs: { lbl: 'odd' } });
    };
    const nodes = [0, 1, 2, 3, 4].map((i) => `proxy/node${i}`);
    const mgmtObjs = [0, 1, 2, 3, 4].flatMap((i) => [`proxy/node${i}/battery`, `proxy/node${i}/firmware`]);

    test('findDescendants: every descendant at any depth in creation order, the resource itself excluded, summaries only', async () => {
      const store = await fresh();
      await tree(store);
      const all = await store.findDescendants({ under: 'proxy', window: 100 });
      assert.deepEqual(all.matches.map((match) => match.path), [...nodes, ...mgmtObjs, 'proxy/node1/battery/deep']);
      assert.equal(all.next, undefined, 'fewer candidates than the window: the scan is complete');
      assert.deepEqual(all.matches[0], { ri: 'n0', pi: 'cb1', ty: 14, rn: 'node0', path: 'proxy/node0' });
      const below = await store.findDescendants({ under: 'proxy/node1', window: 100 });
      assert.deepEqual(below.matches.map((match) => match.path), ['proxy/node1/battery', 'proxy/node1/firmware', 'proxy/node1/battery/deep']);
      assert.deepEqual((await store.findDescendants({ under: 'proxy/node1/firmware', window: 100 })).matches, []);
      assert.deepEqual((await store.findDescendants({ under: 'proxy/node', window: 100 })).matches, [], 'a path prefix is not a parent');
      assert.deepEqual((await store.findDescendants({ under: 'proxy/missing', window: 100 })).matches, []);
    });

    test('findDescendants: ty, lbl (any of them, arrays only) and mgd filters, combined with AND', async () => {
      const store = await fresh();
      await tree(store);
      const paths = async (query: Omit<DescendantQuery, 'under' | 'window'>, under = 'proxy') =>
        (await store.findDescendants({ under, window: 100, ...query })).matches.map((match) => match.path);
      assert.deepEqual(await paths({ ty: [14] }), nodes);
      assert.deepEqual(await paths({ ty: [13, 14] }), [...nodes, ...mgmtObjs]);
      assert.deepEqual(await paths({ ty: [13] }, 'proxy/node3'), ['proxy/node3/battery', 'proxy/node3/firmware']);
      assert.deepEqual(await paths({ ty: [2] }), []);
      assert.deepEqual(await paths({ lbl: ['odd'] }), ['proxy/node1', 'proxy/node3'], 'a label that is not in an array does not match');
      assert.deepEqual(await paths({ lbl: ['even', 'mgd-1001'] }), ['proxy/node0', 'proxy/node2', 'proxy/node4', ...mgmtObjs.filter((p) => p.endsWith('firmware'))]);
      assert.deepEqual(await paths({ mgd: [1001] }, 'proxy/node2'), ['proxy/node2/firmware']);
      assert.deepEqual(await paths({ ty: [14], lbl: ['mgd-1001'] }), []);
      assert.deepEqual(await paths({ ty: [13], mgd: [1006], lbl: ['mgd-1006'] }), mgmtObjs.filter((p) => p.endsWith('battery')));
    });

    test('findDescendants: steps examine at most `window` candidates each and together give every match once, in order', async () => {
      const store = await fresh();
      await tree(store);
      for (const window of [1, 2, 3, 7]) {
        for (const query of [{}, { ty: [14] }, { ty: [13, 14] }, { lbl: ['node'] }, { mgd: [1001] }]) {
          const whole = (await store.findDescendants({ under: 'proxy', window: 1000, ...query })).matches.map((match) => match.path);
          const stepped = await scanAll(store, { under: 'proxy', window, ...query });
          assert.deepEqual(stepped.paths, whole, `window ${window}, ${JSON.stringify(query)}`);
        }
        const single = await store.findDescendants({ under: 'proxy', window, ty: [14] });
        assert.ok(single.matches.length <= window);
        assert.equal(single.next !== undefined, window < nodes.length, `window ${window}: more to scan`);
      }
      const filtered = await scanAll(store, { under: 'proxy', window: 2, lbl: ['odd'] });
      assert.ok(filtered.steps >= 8, 'a sparse filter still advances a bounded window per step');
      await assert.rejects(store.findDescendants({ under: 'proxy', window: 0 }), RangeError);
    });

    test('findDescendants: skip passes over that many matches (counted in `skipped`), steps stay within `window`, the rest come in order', async () => {
      const store = await fresh();
      await tree(store);
      const queries: Array<Omit<DescendantQuery, 'under' | 'window'>> = [{}, { ty: [14] }, { ty: [13, 14] }, { lbl: ['odd', 'mgd-1001'] }, { mgd: [1006] }];
      for (const query of queries) {
        const whole = (await store.findDescendants({ under: 'proxy', window: 1000, ...query })).matches.map((match) => match.path);
        for (const window of [1, 3, 1000]) {
          for (const skip of [0, 1, 4, whole.length, 100]) {
            const label = `window ${window}, skip ${skip}, ${JSON.stringify(query)}`;
            const paths: string[] = [];
            let toSkip = skip;
            let after: number | undefined;
            do {
              const chunk = await store.findDescendants({ under: 'proxy', window, ...query, after, skip: toSkip });
              const skipped = chunk.skipped ?? 0;
              assert.ok(skipped <= toSkip, label);
              // (with several types, the window bounds each type's candidates)
              assert.ok(skipped + chunk.matches.length <= window * Math.max(1, query.ty?.length ?? 0), `${label}: a step stays within the window`);
              if (chunk.matches.length > 0) assert.equal(skipped, toSkip, `${label}: nothing is returned before the skip is used up`);
              toSkip -= skipped;
              paths.push(...chunk.matches.map((match) => match.path));
              after = chunk.next;
            } while (after !== undefined);
            assert.deepEqual(paths, whole.slice(skip), label);
            assert.equal(toSkip, Math.max(0, skip - whole.length), `${label}: every match before the rest was counted`);
          }
        }
      }
      const below = await store.findDescendants({ under: 'proxy/node1', window: 100, skip: 1 });
      assert.deepEqual({ paths: below.matches.map((match) => match.path), skipped: below.skipped }, { paths: ['proxy/node1/firmware', 'proxy/node1/battery/deep'], skipped: 1 });
      for (const bad of [-1, 1.5]) await assert.rejects(store.findDescendants({ under: 'proxy', window: 10, skip: bad }), RangeError);
    });

    test('findDescendants: resources written while a scan is under way come after those stored before it; deleted ones are gone', async () => {
      const store = await fresh();
      await tree(store);
      const first = await store.findDescendants({ under: 'proxy', ty: [14], window: 2 });
      assert.deepEqual(first.matches.map((match) => match.path), ['proxy/node0', 'proxy/node1']);
      await store.deleteResource('n2');
      await store.putResource(resource('n9', 'cb1', 'node9'));
      await store.putResource({ ...resource('n0', 'cb1', 'node0'), attrs: { changed: true } });
      const rest = await scanAll(store, { under: 'proxy', ty: [14], window: 2 });
      const continued: string[] = [];
      let after = first.next;
      while (after !== undefined) {
        const chunk = await store.findDescendants({ under: 'proxy', ty: [14], window: 2, after });
        continued.push(...chunk.matches.map((match) => match.path));
        after = chunk.next;
      }
      assert.deepEqual(continued, ['proxy/node3', 'proxy/node4', 'proxy/node9']);
      assert.deepEqual(rest.paths, ['proxy/node0', 'proxy/node1', 'proxy/node3', 'proxy/node4', 'proxy/node9'], 'a replaced resource keeps its place');
    });

    test('findExpired: resources whose et is at or before `before`, earliest first, in bounded steps; others never', async () => {
      const store = await fresh();
      await store.putResource(resource('cb1', '', 'proxy'));
      const withEt = (ri: string, et: unknown): StoredResource => {
        const plain = resource(ri, 'cb1', ri);
        return { ...plain, attrs: { ...plain.attrs, et } };
      };
      // 20300101T000000 is 1893456000 s after the epoch
      await store.putResource(withEt('late', '20300101T000010'));
      await store.putResource(withEt('early', '20300101T000000'));
      await store.putResource(withEt('fraction', '20300101T000000,5'));
      await store.putResource(withEt('tie', '20300101T000000'));
      await store.putResource(withEt('future', '20300101T000100'));
      await store.putResource(withEt('unreadable', 'tomorrow'));
      await store.putResource(resource('none', 'cb1', 'none'));
      const all = async (before: number, limit: number): Promise<{ ris: string[]; steps: number }> => {
        const found: string[] = [];
        let steps = 0;
        let after;
        do {
          const chunk = await store.findExpired({ before, after, limit });
          assert.ok(chunk.expired.length <= limit);
          found.push(...ris(chunk.expired));
          steps++;
          after = chunk.next;
        } while (after);
        return { ris: found, steps };
      };
      assert.deepEqual((await all(1_893_456_000 + 10, 100)).ris, ['early', 'tie', 'fraction', 'late'], 'a fraction counts as the next second');
      const paged = await all(1_893_456_000 + 10, 2);
      assert.deepEqual(paged.ris, ['early', 'tie', 'fraction', 'late']);
      assert.ok(paged.steps >= 2);
      assert.deepEqual((await all(1_893_456_000, 100)).ris, ['early', 'tie']);
      assert.deepEqual((await all(1_893_455_999, 100)).ris, []);
      await store.putResource(withEt('early', '20300101T000200'));
      assert.deepEqual((await all(1_893_456_000, 100)).ris, ['tie'], 'a changed et is seen');
      const found = (await store.findExpired({ before: 1_893_456_000, limit: 10 })).expired[0];
      assert.deepEqual(found, withEt('tie', '20300101T000000'), 'whole resources');
    });

    test('everything, children order included, survives closing and reopening', async () => {
      const opened = await stores.open();
      await opened.store.putResources([resource('cb1', '', 'proxy'), resource('n2', 'cb1', 'zeta'), resource('n1', 'cb1', 'alpha')]);
      const reopened = await opened.reopen();
      assert.deepEqual(await reopened.getResourceByPath('proxy/alpha'), resource('n1', 'cb1', 'alpha'));
      assert.deepEqual(ris(await reopened.listChildren('cb1')), ['n2', 'n1']);
      await reopened.putResource(resource('n3', 'cb1', 'beta'));
      assert.deepEqual(ris(await reopened.listChildren('cb1')), ['n2', 'n1', 'n3']);
    });
  });
}
