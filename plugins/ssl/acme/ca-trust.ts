import { Agent } from 'node:https';
import { acmeLibrary } from './library.js';

/**
 * Trust a private CA (pebble's, a company CA) for requests to one ACME server only.
 * acme-client shares one axios instance per process, so the agent is attached per request by
 * origin instead of replacing the process-wide default (and NODE_EXTRA_CA_CERTS is not needed).
 * Returns the function that removes the trust again (at plugin stop).
 */
export async function trustCaFor(directoryUrl: string, caPem: string): Promise<() => void> {
  const acme = await acmeLibrary();
  const origin = new URL(directoryUrl).origin;
  const agent = new Agent({ ca: caPem, keepAlive: false });
  const id = acme.axios.interceptors.request.use((config) => {
    if (config.url && sameOrigin(config.url, origin)) config.httpsAgent = agent;
    return config;
  });
  return () => {
    acme.axios.interceptors.request.eject(id);
    agent.destroy();
  };
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
