import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { loadKeyFile } from '../key-file.js';

/**
 * Encrypts target secrets for the panel store (AES-256-GCM) with a key kept in a 0600 file in
 * the data directory, so a database dump or a shared store never holds them in clear.
 */
export class SecretBox {
  private key: Buffer | null = null;

  constructor(private readonly keyFile: string) {}

  private loadKey(): Buffer {
    this.key ??= loadKeyFile(this.keyFile);
    return this.key;
  }

  seal(values: Record<string, string>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.loadKey(), iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  open(sealed: string): Record<string, string> {
    const [v, iv, tag, body] = sealed.split(':');
    if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('stored secrets are in an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.loadKey(), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as Record<string, string>;
  }
}

/**
 * A secret of a config-file target: `<field>_file` (a file only the panel may read; a final
 * newline is dropped, so a private key keeps its lines) or `<field>_env`. Returns undefined when neither is set; throws naming the setting.
 */
export function readConfigSecret(
  section: Record<string, unknown>,
  field: string,
  where: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const file = section[`${field}_file`];
  const variable = section[`${field}_env`];
  if (file !== undefined && variable !== undefined)
    throw new Error(`${where}: set either ${field}_file or ${field}_env, not both`);
  if (typeof variable === 'string') {
    if (env[variable] === undefined)
      throw new Error(`${where}.${field}_env: environment variable ${variable} is not set`);
    return env[variable];
  }
  if (typeof file !== 'string') return undefined;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new Error(`${where}.${field}_file: ${file} cannot be read`);
  }
  if (st.mode & 0o077)
    throw new Error(`${where}.${field}_file: ${file} must not be readable by group or others (chmod 600)`);
  return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
}
