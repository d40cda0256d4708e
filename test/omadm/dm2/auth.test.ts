import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DigestNonces, basicMatches, digestResponse, expectedDigest, parseAuthParams } from '../../../src/omadm/v20/auth/index.js';

test('Digest responses match RFC 7616 3.9.1 for MD5 and SHA-256', () => {
  const params = parseAuthParams(
    'username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  );
  const answer = digestResponse(params!)!;
  assert.equal(expectedDigest(answer, 'GET', 'Circle of Life'), '8ca523f5e9506fed4657c9700eebdbec');
  assert.equal(expectedDigest({ ...answer, algorithm: 'SHA-256' }, 'GET', 'Circle of Life'), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  assert.equal(answer.opaque, 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
});

test('auth parameters: quoted strings with escapes and commas, tokens; malformed or repeated parameters are refused', () => {
  assert.deepEqual([...parseAuthParams('a="x, \\"y\\"", b=tok,c=""')!], [['a', 'x, "y"'], ['b', 'tok'], ['c', '']]);
  assert.equal(parseAuthParams('a="unterminated'), undefined);
  assert.equal(parseAuthParams('a=1, a=2'), undefined);
  assert.equal(parseAuthParams('=1'), undefined);
  assert.equal(digestResponse(parseAuthParams('username="u", realm="r", nonce="n", uri="/", response="x", qop=auth-int, nc=00000001, cnonce="c"')!), undefined, 'qop=auth-int is not offered');
  assert.equal(digestResponse(parseAuthParams('username="u", realm="r", nonce="n", uri="/", response="x", qop=auth, nc=1, cnonce="c"')!), undefined, 'nc is 8 hex digits');
  assert.equal(digestResponse(parseAuthParams('username="u", realm="r", nonce="n", uri="/", response="x", qop=auth, nc=00000001, cnonce="c", algorithm=MD5-sess')!), undefined);
});

test('Basic: only the exact user and secret; malformed base64 or no colon refused', () => {
  const encode = (text: string) => Buffer.from(text).toString('base64');
  assert.equal(basicMatches(encode('dev:s:e:c'), 'dev', 's:e:c'), true, 'a secret may hold colons');
  assert.equal(basicMatches(encode('dev:wrong'), 'dev', 'secret'), false);
  assert.equal(basicMatches(encode('other:secret'), 'dev', 'secret'), false);
  assert.equal(basicMatches(encode('devsecret'), 'dev', 'secret'), false);
  assert.equal(basicMatches('!!!', 'dev', 'secret'), false);
});

test('Digest nonces: recognised by another instance with the same key (a restart), stale after their lifetime, a nonce-count must grow, forged ones unknown', () => {
  const key = randomBytes(32);
  let now = 1_000_000;
  const issuer = new DigestNonces(key, 60_000, () => now);
  const nonce = issuer.issue();
  const restarted = new DigestNonces(key, 60_000, () => now);
  assert.equal(restarted.check(nonce, '00000001'), 'fresh');
  assert.equal(restarted.check(nonce, '00000001'), 'replayed');
  assert.equal(restarted.check(nonce, '00000002'), 'fresh');
  assert.equal(new DigestNonces(randomBytes(32), 60_000, () => now).check(nonce, '00000001'), 'unknown', 'another key');
  const tampered = `${nonce.slice(0, 10)}${nonce[10] === 'A' ? 'B' : 'A'}${nonce.slice(11)}`;
  assert.equal(restarted.check(tampered, '00000003'), 'unknown');
  assert.equal(restarted.check('short', '00000001'), 'unknown');
  now += 60_001;
  assert.equal(restarted.check(nonce, '00000009'), 'stale');
});
