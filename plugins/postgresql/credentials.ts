import { errors, type DatabaseCredential, type DatabaseCredentialRead } from '../../sdk/index.js';
import { escapeIdentifier, escapeLiteral } from './driver.js';
import type { PgServer } from './server.js';

const METHOD = 'scram-sha-256';
const VERIFIER = /^SCRAM-SHA-256\$(\d{1,7}):([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]{43}=):([A-Za-z0-9+/]{43}=)$/;
/** Iterations accepted: PostgreSQL writes 4096; far more would make every login of the role burn server CPU. */
const ITERATIONS = { min: 1000, max: 100_000 };

const canonical = (b64: string, bytes: [number, number]) => {
  const raw = Buffer.from(b64, 'base64');
  return raw.length >= bytes[0] && raw.length <= bytes[1] && raw.toString('base64') === b64;
};

/** Why `hash` is not a SCRAM-SHA-256 verifier PostgreSQL stores as given, or null when it is one. */
export function verifierProblem(hash: unknown): string | null {
  const m = typeof hash === 'string' ? VERIFIER.exec(hash) : null;
  if (!m) return 'is not a well-formed SCRAM-SHA-256 verifier';
  const iterations = Number(m[1]);
  if (iterations < ITERATIONS.min || iterations > ITERATIONS.max)
    return `must use ${ITERATIONS.min}–${ITERATIONS.max} iterations`;
  if (!canonical(m[2]!, [8, 64]) || !canonical(m[3]!, [32, 32]) || !canonical(m[4]!, [32, 32]))
    return 'is not a well-formed SCRAM-SHA-256 verifier';
  return null;
}

/**
 * The credential when it is a SCRAM-SHA-256 verifier in PostgreSQL's exact `rolpassword` format;
 * otherwise a 400 naming the field. Anything looser would be stored as a plain password.
 */
export function checkPgCredential(c: DatabaseCredential): DatabaseCredential {
  if (c?.method !== METHOD) throw errors.validation(`credential.method: must be ${METHOD}`);
  const problem = verifierProblem(c.hash);
  if (problem) throw errors.validation(`credential.hash: ${problem}`);
  return { method: METHOD, hash: c.hash };
}

/** The role's verifier from `pg_authid` (superuser only: otherwise why it cannot be carried). */
export async function readPgCredential(server: PgServer, user: string): Promise<DatabaseCredentialRead> {
  let rows: { pw: string | null }[];
  try {
    rows = await server.rows<{ pw: string | null }>('SELECT rolpassword AS pw FROM pg_authid WHERE rolname = $1', [
      user,
    ]);
  } catch (e) {
    if ((e as { code?: string }).code === '42501')
      return { credential: null, reason: "the panel's admin role may not read pg_authid (it is not a superuser)" };
    throw e;
  }
  if (rows.length === 0) return { credential: null, reason: `role ${user} does not exist` };
  const pw = rows[0]!.pw;
  if (!pw) return { credential: null, reason: `role ${user} has no password` };
  if (pw.startsWith('md5'))
    return {
      credential: null,
      reason: `role ${user} has an MD5 password hash; only SCRAM-SHA-256 verifiers are carried`,
    };
  const problem = verifierProblem(pw);
  if (problem) return { credential: null, reason: `the stored verifier of role ${user} ${problem}` };
  return { credential: { method: METHOD, hash: pw } };
}

/**
 * Give the role exactly this verifier. Where the admin can read `pg_authid`, check the server
 * stored it as given: text it does not recognise as a verifier becomes a plain password, and
 * that must fail loudly rather than pass for the original credentials.
 */
export async function applyPgCredential(server: PgServer, user: string, credential: DatabaseCredential): Promise<void> {
  const { hash } = checkPgCredential(credential);
  await server.rows(`ALTER ROLE ${escapeIdentifier(user)} PASSWORD ${escapeLiteral(hash)}`);
  const stored = await server
    .rows<{ same: boolean }>('SELECT rolpassword = $2 AS same FROM pg_authid WHERE rolname = $1', [user, hash])
    .catch(() => null);
  if (stored && stored[0]?.same !== true)
    throw errors.externalCommand(`PostgreSQL did not store the verifier of role ${user} as given`);
}
