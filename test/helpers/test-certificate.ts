import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A self-signed certificate for 127.0.0.1 (its own CA) and its key, as files and as the certificate's PEM. */
export interface TestCertificate {
  certFile: string;
  keyFile: string;
  cert: Buffer;
}

/** Why certificates cannot be made here (node has no generator; openssl does it), or undefined when they can. */
export const NO_OPENSSL: string | undefined = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'openssl is not installed: no test certificate can be made';
  }
})();

/** Makes a P-256 certificate valid for a day under a fresh directory, removed when the test ends. */
export async function makeTestCertificate(t: { after(fn: () => unknown): void }): Promise<TestCertificate> {
  const dir = mkdtempSync(join(tmpdir(), 'dm-proxy-cert-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ]);
  return { certFile, keyFile, cert: readFileSync(certFile) };
}
