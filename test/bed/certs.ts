// Throwaway CA + leaf certificate made with openssl (pebble's HTTPS listener, nginx's
// default_server, vhost certificates in tests).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { run } from './proc.js';

export interface CertFiles {
  caPath: string;
  caPem: string;
  certPath: string;
  keyPath: string;
}

export interface CertOptions {
  /** CN of the throwaway CA */
  caName?: string;
  /** DNS names / IPs of the leaf; the first is also its CN */
  names?: string[];
}

const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export async function makeLocalhostCert(dir: string, opts: CertOptions = {}): Promise<CertFiles> {
  const names = opts.names ?? ['localhost', '127.0.0.1'];
  const san = names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  const caPath = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    caKey,
    '-out',
    caPath,
    '-subj',
    `/CN=${opts.caName ?? 'velopanel-bed-ca'}`,
    '-days',
    '3',
  ]);
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-subj',
    `/CN=${names[0] ?? 'localhost'}`,
    '-CA',
    caPath,
    '-CAkey',
    caKey,
    '-days',
    '3',
    '-addext',
    `subjectAltName=${san}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
  ]);
  return { caPath, caPem: readFileSync(caPath, 'utf8'), certPath, keyPath };
}
