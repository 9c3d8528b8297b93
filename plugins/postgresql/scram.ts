import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { escapeLiteral } from './driver.js';

const ITERATIONS = 4096;

/**
 * A SCRAM-SHA-256 verifier in PostgreSQL's `rolpassword` format (RFC 5803), so the plain password
 * never travels to the server or into its statement log. PostgreSQL applies SASLprep to the
 * password first, which leaves ASCII unchanged; that is the only input this accepts.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = ITERATIONS): string {
  if (!/^[\x01-\x7f]*$/.test(password))
    throw new Error('scramVerifier: only ASCII passwords (non-ASCII needs SASLprep)');
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * The `PASSWORD '…'` literal for CREATE/ALTER ROLE: a pre-hashed verifier for ASCII passwords;
 * otherwise the password itself through the driver's literal escaping, hashed by the server.
 */
export function passwordLiteral(password: string): string {
  if (password.includes('\0')) throw new Error('password contains a NUL byte');
  return escapeLiteral(/^[\x01-\x7f]*$/.test(password) ? scramVerifier(password) : password);
}
