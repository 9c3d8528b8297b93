/**
 * The `openssl` arguments of a self-signed P-256 certificate for `host` (also its one DNS name),
 * valid for `days`, its key written unencrypted to `keyFile` and the certificate to `certFile`.
 * The panel's stand-in certificate uses it, and so do the tests that need a certificate.
 */
export function selfSignedArgs(host: string, days: number, keyFile: string, certFile: string): string[] {
  return [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    String(days),
    '-subj',
    `/CN=${host}`,
    '-addext',
    `subjectAltName=DNS:${host}`,
  ];
}
