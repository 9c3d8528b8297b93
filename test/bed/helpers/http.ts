// Fetch a page from a web server on 127.0.0.1 by Host header (HTTP) or SNI + Host (HTTPS),
// without DNS: the socket always goes to 127.0.0.1:port.
//
//   const r = await fetchVhost({ port: bed.nginx.httpPort, host: 'shop.test', path: '/' });
//   const s = await fetchVhost({ port: bed.nginx.httpsPort, host: 'shop.test', https: true });
//   s.certificate?.subjectaltname
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { request as httpsRequest } from 'node:https';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

export interface VhostRequest {
  port: number;
  host: string;
  path?: string;
  https?: boolean;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** HTTPS: verify the peer against this CA (PEM). Without it any certificate is accepted. */
  ca?: string;
  timeoutMs?: number;
}

export interface VhostResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** HTTPS only: the certificate the server presented for this SNI name */
  certificate?: DetailedPeerCertificate;
  /** HTTPS only: whether it verified against `ca` (false when no ca was given) */
  authorized?: boolean;
}

export function fetchVhost(req: VhostRequest): Promise<VhostResponse> {
  const options = {
    host: '127.0.0.1',
    port: req.port,
    path: req.path ?? '/',
    method: req.method ?? 'GET',
    headers: { ...req.headers, Host: req.host },
    timeout: req.timeoutMs ?? 10_000,
    agent: false as const,
  };
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      const tls = req.https ? (res.socket as TLSSocket) : undefined;
      const certificate = tls?.getPeerCertificate(true);
      const authorized = tls?.authorized;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, certificate, authorized });
      });
    };
    const r = req.https
      ? httpsRequest(
          {
            ...options,
            servername: isIP(req.host) ? undefined : req.host,
            ca: req.ca,
            rejectUnauthorized: req.ca !== undefined,
          },
          onResponse,
        )
      : httpRequest(options, onResponse);
    r.on('timeout', () => r.destroy(new Error(`timeout fetching ${req.host}${options.path} on port ${req.port}`)));
    r.on('error', reject);
    r.end(req.body);
  });
}
