import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataRepository, RepositoryExpiredError, RepositoryFullError } from '../../../src/omadm/v20/repository/index.js';
import { proxyWithOmadm } from '../server/dm-test-kit.js';
import { dm2Url, raw } from './dm2-test-kit.js';

const MO_JSON = 'application/vnd.oma.dm.mo+json';

test('DM 2.0 repository over HTTP: an offered URI serves one GET then 410; an expected one takes one PUT/POST then 410; wrong methods 405 without using it; unknown 404; oversize 413 keeps it open', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm({ DM_MAX_OBJ_SIZE: '2048' });
  t.after(() => proxy.stop(true));
  const repository = omadm.dm2Repository;
  const origin = new URL(dm2Url(proxy)).origin;
  const data = JSON.stringify([{ ClientURI: 'urn:oma:mo:oma-scomo:1.0/1/Download/pkg1', MOData: { PkgURL: 'http://x/y' } }]);

  const offered = repository.offer('DM2-repo', { contentType: MO_JSON, body: Buffer.from(data) });
  assert.match(offered, /^\/dm2\/repo\/[A-Za-z0-9_-]{32}$/, '192 random bits');
  assert.equal((await raw(`${origin}${offered}`, 'PUT', {}, 'x')).status, 405, 'an HGET URI takes no upload');
  const got = await raw(`${origin}${offered}`, 'GET', {});
  assert.equal(got.status, 200);
  assert.equal(got.headers['content-type'], MO_JSON);
  assert.equal(got.text, data);
  const again = await raw(`${origin}${offered}`, 'GET', {});
  assert.equal(again.status, 410);
  assert.match(again.text, /used: each one serves a single request/);
  assert.equal((await raw(`${origin}/dm2/repo/${'A'.repeat(32)}`, 'GET', {})).status, 404);
  assert.equal((await raw(`${origin}/dm2/repo/../../etc`, 'GET', {})).status, 404);

  const { url, received } = repository.expect('DM2-repo');
  assert.equal((await raw(`${origin}${url}`, 'GET', {})).status, 405, 'an HPUT URI serves nothing');
  const tooLarge = await raw(`${origin}${url}`, 'PUT', { 'content-type': MO_JSON }, 'x'.repeat(4096));
  assert.equal(tooLarge.status, 413);
  assert.equal(repository.usage().open, 1, 'still open after the oversize upload');
  const put = await raw(`${origin}${url}`, 'POST', { 'content-type': MO_JSON }, data);
  assert.equal(put.status, 204);
  const upload = await received;
  assert.equal(upload.contentType, MO_JSON);
  assert.equal(upload.body.toString(), data);
  assert.equal((await raw(`${origin}${url}`, 'PUT', { 'content-type': MO_JSON }, 'other')).status, 410, 'a second upload is refused; the first stays');
  assert.deepEqual(repository.usage(), { heldBytes: 0, open: 0 });
});

test('DM 2.0 repository: URIs expire (410, an expectation rejects), are withdrawn on demand, and memory is bounded in bytes and URIs', async () => {
  // The repository's expiry timers do not hold the process open; this test has nothing else that does.
  const keepAlive = setInterval(() => undefined, 1000);
  const repository = new DataRepository('/dm2/repo', { ttlMs: 30, maxUploadBytes: 100, maxHeldBytes: 10, maxOpen: 3 });
  const offered = repository.offer('d', { contentType: 'text/plain', body: Buffer.from('12345678') });
  assert.throws(() => repository.offer('d', { contentType: 'text/plain', body: Buffer.from('123') }), RepositoryFullError, 'past maxHeldBytes');
  const expected = repository.expect('d');
  await assert.rejects(expected.received, RepositoryExpiredError);
  const token = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  assert.equal((await repository.answer('GET', token(offered), async () => undefined)).status, 410, 'expired offers too (same timer length)');
  const late = await repository.answer('PUT', token(expected.url), async () => ({ contentType: 'text/plain', body: Buffer.from('late') }));
  assert.equal(late.status, 410);
  assert.deepEqual(repository.usage(), { heldBytes: 0, open: 0 });

  const kept = new DataRepository('/dm2/repo', { ttlMs: 60_000, maxUploadBytes: 100, maxHeldBytes: 1000, maxOpen: 2 });
  const a = kept.expect('d');
  kept.offer('d', { contentType: 'text/plain', body: Buffer.from('x') });
  assert.throws(() => kept.expect('d'), RepositoryFullError, 'past maxOpen');
  kept.withdraw(a.url);
  await assert.rejects(a.received, /withdrawn/);
  kept.expect('d');
  kept.close();
  assert.deepEqual(kept.usage(), { heldBytes: 0, open: 0 });
  clearInterval(keepAlive);
});

test('DM 2.0 repository: a subscription URI takes several reports, each delivered, up to its bound; oversize 413; withdrawn: 410', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm({ DM_MAX_OBJ_SIZE: '2048' });
  t.after(() => proxy.stop(true));
  const repository = omadm.dm2Repository;
  const origin = new URL(dm2Url(proxy)).origin;
  const delivered: string[] = [];
  const url = repository.subscribe('DM2-sub', (data) => delivered.push(data.body.toString()), undefined, 2);
  assert.match(url, /^\/dm2\/repo\/[A-Za-z0-9_-]{32}$/);
  assert.equal((await raw(`${origin}${url}`, 'GET', {})).status, 405, 'a subscription URI serves nothing');
  assert.equal((await raw(`${origin}${url}`, 'PUT', { 'content-type': MO_JSON }, 'x'.repeat(4096))).status, 413);
  assert.equal((await raw(`${origin}${url}`, 'PUT', { 'content-type': MO_JSON }, 'first')).status, 204);
  assert.equal((await raw(`${origin}${url}`, 'POST', { 'content-type': MO_JSON }, 'second')).status, 204);
  assert.equal((await raw(`${origin}${url}`, 'PUT', { 'content-type': MO_JSON }, 'third')).status, 410, 'past its bound');
  assert.deepEqual(delivered, ['first', 'second']);

  const other = repository.subscribe('DM2-sub', (data) => delivered.push(data.body.toString()));
  repository.withdraw(other);
  assert.equal((await raw(`${origin}${other}`, 'PUT', { 'content-type': MO_JSON }, 'late')).status, 410);
  assert.deepEqual(repository.usage(), { heldBytes: 0, open: 0 });
});
