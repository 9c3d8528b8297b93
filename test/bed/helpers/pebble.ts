// Trusting pebble inside one test process, its issuing root, and a minimal HTTP-01 responder.
// NODE_EXTRA_CA_CERTS is read once at process start, so trust goes through an https.Agent instead.
//
//   import * as acme from 'acme-client';
//   trustPebble(acme, bed.pebble);                        // acme-client's axios → pebble's API CA
//   const responder = await startChallengeResponder(bed.pebble);   // on bed.pebble.httpPort
//   … challengeCreateFn: (_a, c, k) => responder.set(c.token, k) …
//   expect(await chainsToPebbleRoot(bed.pebble, certPem)).toBe(true);
// httpPort is one port for the whole run: only one test at a time may serve challenges on it.
import { createServer, type Server } from 'node:http';
import { Agent } from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { PebbleInfo } from '../types.js';
import { httpsGetCa } from '../services/pebble.js';

/**
 * How long a test waits for pebble's challenge port while another test file holds it: longer than
 * any holder's whole file runs (they hold it from beforeAll to afterAll), so two files never give up
 * on each other under load. Hooks that wait for it take {@link CHALLENGE_PORT_HOOK_MS}.
 */
export const PORT_WAIT_MS = 600_000;
export const CHALLENGE_PORT_HOOK_MS = PORT_WAIT_MS + 120_000;

/** https.Agent that trusts pebble's API listener (directory, orders, management). */
export function pebbleAgent(info: PebbleInfo): Agent {
  return new Agent({ ca: info.apiCaPem, keepAlive: false });
}

/** Points acme-client's shared axios instance at pebble's CA (per test process). */
export function trustPebble(acme: { axios: { defaults: { httpsAgent?: unknown } } }, info: PebbleInfo): void {
  acme.axios.defaults.httpsAgent = pebbleAgent(info);
}

/** PEM of pebble's current issuing root (pebble makes a new one at every start). */
export async function pebbleRootPem(info: PebbleInfo, index = 0): Promise<string> {
  const r = await httpsGetCa(`${info.managementUrl}/roots/${index}`, info.apiCaPem);
  if (r.status !== 200) throw new Error(`pebble /roots/${index}: HTTP ${r.status}`);
  return r.body;
}

export function splitPem(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (c) => new X509Certificate(c),
  );
}

/** True when every certificate of the chain is signed by the next and the last by pebble's root. */
export async function chainsToPebbleRoot(info: PebbleInfo, chainPem: string): Promise<boolean> {
  const chain = splitPem(chainPem);
  const [root] = splitPem(await pebbleRootPem(info));
  if (!root || chain.length === 0) return false;
  const all = [...chain, root];
  return all.slice(0, -1).every((cert, i) => cert.checkIssued(all[i + 1]!) && cert.verify(all[i + 1]!.publicKey));
}

export interface ChallengeResponder {
  set(token: string, keyAuthorization: string): void;
  delete(token: string): void;
  /** GETs seen (to prove pebble really fetched the challenge) */
  requests: string[];
  close(): Promise<void>;
}

/** Serves /.well-known/acme-challenge/<token> on 127.0.0.1:info.httpPort. */
export async function startChallengeResponder(info: PebbleInfo): Promise<ChallengeResponder> {
  const tokens = new Map<string, string>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.headers.host ?? ''}${req.url ?? ''}`);
    const token = /^\/\.well-known\/acme-challenge\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    const body = token ? tokens.get(token) : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/plain' }).end(body ?? 'not found');
  });
  // The challenge port is shared by the whole run: wait (bounded) while another test holds it.
  for (let attempt = 0; ; attempt++) {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen(info.httpPort, '127.0.0.1', () => resolve(null));
    });
    if (!err) break;
    if (err.code !== 'EADDRINUSE' || attempt >= PORT_WAIT_MS / 500) throw err;
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    set: (t, k) => void tokens.set(t, k),
    delete: (t) => void tokens.delete(t),
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
