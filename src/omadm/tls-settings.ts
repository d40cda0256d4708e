import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { raw } from '../core/setting-parsers.js';
import { StartupError, unusableSetting } from '../core/startup-error.js';

/** The certificate (chain) and private key of the DM listener's HTTPS, as PEM read at start-up. */
export interface DmTls {
  cert: Buffer;
  key: Buffer;
}

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

function readPem(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw unusableSetting(name, file, `the file cannot be read (${code ?? (error as Error).message})`);
  }
}

function certificate(file: string, pem: Buffer): X509Certificate {
  if (!pem.includes(PEM_CERTIFICATE)) throw unusableSetting('DM_TLS_CERT', file, `not a PEM certificate (no "${PEM_CERTIFICATE}" line)`);
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw unusableSetting('DM_TLS_CERT', file, `not a PEM certificate (${(error as Error).message})`);
  }
}

function privateKey(file: string, pem: Buffer): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem.toString('latin1'))) throw unusableSetting('DM_TLS_KEY', file, 'not a PEM private key (no "-----BEGIN ... PRIVATE KEY-----" line)');
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw unusableSetting('DM_TLS_KEY', file, `not a usable PEM private key (${(error as Error).message}; an encrypted key is not supported)`);
  }
}

/**
 * DM_TLS_CERT and DM_TLS_KEY (file paths, both or none): undefined when neither is set (plain HTTP on DM_PORT).
 * Throws a StartupError naming the setting when a file is missing, unreadable or not PEM, or the key is not the
 * certificate's (the first certificate of the file: the server's own, its chain may follow).
 */
export function loadDmTls(env: NodeJS.ProcessEnv): DmTls | undefined {
  const certFile = raw(env, 'DM_TLS_CERT');
  const keyFile = raw(env, 'DM_TLS_KEY');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const [missing, given] = certFile === undefined ? ['DM_TLS_CERT', 'DM_TLS_KEY'] : ['DM_TLS_KEY', 'DM_TLS_CERT'];
    throw new StartupError(`${missing} is not set: HTTPS on DM_PORT needs both DM_TLS_CERT and DM_TLS_KEY (only ${given} is set)`, { setting: missing });
  }
  const cert = readPem('DM_TLS_CERT', certFile);
  const key = readPem('DM_TLS_KEY', keyFile);
  const x509 = certificate(certFile, cert);
  if (!x509.checkPrivateKey(privateKey(keyFile, key))) {
    throw unusableSetting('DM_TLS_KEY', keyFile, `the key does not match the certificate of DM_TLS_CERT=${JSON.stringify(certFile)} (${x509.subject.replace(/\n/g, ', ')})`);
  }
  return { cert, key };
}
