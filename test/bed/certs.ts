// Throwaway CA + localhost leaf made with openssl (pebble's HTTPS listener, nginx's default_server).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './proc.js';

export interface CertFiles { caPath: string; caPem: string; certPath: string; keyPath: string }

const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export async function makeLocalhostCert(dir: string, cn = 'velopanel-bed-ca'): Promise<CertFiles> {
  const caPath = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  await run('openssl', ['req', '-x509', ...ec, '-keyout', caKey, '-out', caPath, '-subj', `/CN=${cn}`, '-days', '3']);
  await run('openssl', ['req', '-x509', ...ec, '-keyout', keyPath, '-out', certPath, '-subj', '/CN=localhost',
    '-CA', caPath, '-CAkey', caKey, '-days', '3',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:FALSE']);
  return { caPath, caPem: readFileSync(caPath, 'utf8'), certPath, keyPath };
}
