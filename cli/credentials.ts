import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A session token `velopanel login` stored for one panel URL. */
export interface StoredLogin {
  token: string;
  username: string;
  role: string;
  expires_at: string | null;
}

interface CredentialFile {
  /** The panel of the last login: used when neither --url nor VELOPANEL_URL is given. */
  default_url?: string;
  logins: Record<string, StoredLogin>;
}

/** `$XDG_CONFIG_HOME/velopanel/credentials.json` (else `~/.config/…`): a 0700 directory, a 0600 file. */
export function credentialsFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'velopanel', 'credentials.json');
}

function read(file: string): CredentialFile {
  if (!existsSync(file)) return { logins: {} };
  // Tokens are as good as passwords: a file others can read is tightened before use.
  if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    return {
      default_url: typeof parsed.default_url === 'string' ? parsed.default_url : undefined,
      logins: parsed.logins && typeof parsed.logins === 'object' ? parsed.logins : {},
    };
  } catch {
    return { logins: {} };
  }
}

function write(file: string, data: CredentialFile): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  chmodSync(path.dirname(file), 0o700);
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Stored logins per panel URL. */
export class CredentialStore {
  readonly file: string;

  constructor(env: NodeJS.ProcessEnv) {
    this.file = credentialsFile(env);
  }

  defaultUrl(): string | undefined {
    return read(this.file).default_url;
  }

  /** The stored login for `url`, unless its token has expired. */
  get(url: string): StoredLogin | null {
    const login = read(this.file).logins[url];
    if (!login || typeof login.token !== 'string') return null;
    if (login.expires_at && Date.parse(login.expires_at) <= Date.now()) return null;
    return login;
  }

  save(url: string, login: StoredLogin): void {
    const data = read(this.file);
    data.logins[url] = login;
    data.default_url = url;
    write(this.file, data);
  }

  /** Forget the login for `url`; true when there was one. */
  remove(url: string): boolean {
    const data = read(this.file);
    if (!data.logins[url]) return false;
    delete data.logins[url];
    write(this.file, data);
    return true;
  }
}
