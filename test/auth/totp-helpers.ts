import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_LOGINS, type TestPanel } from '../../sdk/testing/index.js';

const PERIOD = 30;

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  return Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
}

/** RFC 4226 HOTP / RFC 6238 TOTP (SHA-1, 6 digits), written out here so the tests do not trust the panel's library. */
export function totpAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

export const stepOf = (ms = Date.now()) => Math.floor(ms / 1000 / PERIOD);

/**
 * Wait out the last seconds of a time step, so the step a test computes is the one the panel
 * sees when the request lands (no assertion depends on the wait's length).
 */
export async function clearOfStepEdge(): Promise<number> {
  const into = (Date.now() / 1000) % PERIOD;
  if (into > PERIOD - 4) await sleep((PERIOD - into + 0.2) * 1000);
  return stepOf();
}

/** Create a reseller login (via the admin) and answer its session token. */
export async function newReseller(panel: TestPanel, username: string): Promise<{ id: number; token: string }> {
  const created = await panel.request('POST', '/api/resellers', { body: { username, password: TEST_LOGINS.password } });
  const login = await panel.request('POST', '/api/auth/login', {
    as: 'anon',
    body: { username, password: TEST_LOGINS.password },
  });
  return { id: created.body.data.id, token: login.body.data.token };
}

/** Enrol a session's login with a code of the previous step (so later steps stay usable); its secret and recovery codes. */
export async function enrol(
  panel: TestPanel,
  token: string,
): Promise<{ secret: string; recovery: string[]; uri: string; qr: string }> {
  const setup = await panel.request('POST', '/api/auth/2fa/setup', {
    as: { token },
    body: { password: TEST_LOGINS.password },
  });
  if (setup.status !== 200) throw new Error(`setup: ${JSON.stringify(setup.body)}`);
  const { secret, otpauth_uri: uri, qr_svg_data_url: qr } = setup.body.data;
  const step = await clearOfStepEdge();
  const confirm = await panel.request('POST', '/api/auth/2fa/confirm', {
    as: { token },
    body: { code: totpAt(secret, step - 1) },
  });
  if (confirm.status !== 200) throw new Error(`confirm: ${JSON.stringify(confirm.body)}`);
  return { secret, recovery: confirm.body.data.recovery_codes, uri, qr };
}
