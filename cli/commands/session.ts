import type { CommandSpec } from '../command.js';
import { CredentialStore } from '../credentials.js';
import { CliError, usageError } from '../exit-codes.js';
import { keyValues } from '../output.js';
import { ask, readPassword } from '../prompt.js';

const passwordStdin = { name: 'password-stdin', help: 'read the password from the first line of standard input' };

/** `velopanel login`: a session token for this panel, stored 0600 for later commands. */
export const loginCommand: CommandSpec = {
  path: ['login'],
  summary: 'Log in and store the session token for later commands',
  options: [
    { name: 'username', value: 'NAME', help: 'login name (asked when on a terminal)' },
    passwordStdin,
    {
      name: 'code',
      value: 'CODE',
      help: 'two-factor code or recovery code, for a login with two-factor login on (asked when on a terminal)',
    },
  ],
  details: `The token (valid 24 hours) is stored for this panel URL in
$XDG_CONFIG_HOME/velopanel/credentials.json (default ~/.config/velopanel/), a 0600 file in a
0700 directory; the URL becomes the default for later commands. For scripts, prefer an API token
(POST /api/tokens) in VELOPANEL_TOKEN.
  echo "$PASSWORD" | velopanel login --url https://panel.example.com:7070 --username admin --password-stdin`,
  async run(ctx) {
    let username = ctx.options.username as string | undefined;
    if (!username && process.stdin.isTTY && !ctx.options['password-stdin']) username = await ask('Username: ');
    if (!username) throw usageError('--username is required', 'login');
    const password = await readPassword({ fromStdin: !!ctx.options['password-stdin'], confirm: false, hint: 'login' });
    const api = ctx.api();
    const code = ctx.options.code as string | undefined;
    const logIn = (body: Record<string, string>) =>
      api.request<{ token: string; username: string; role: string; expires_at: string }>('POST', '/api/auth/login', {
        body,
      });
    let data;
    try {
      data = await logIn({ username, password, ...(code ? { code } : {}) });
    } catch (e) {
      if (!(e instanceof CliError && e.code === 'TOTP_REQUIRED')) throw e;
      if (!process.stdin.isTTY || ctx.options['password-stdin'])
        throw new CliError('this login has two-factor login on: give the code with --code', e.exitCode, e.code);
      data = await logIn({ username, password, code: (await ask('Two-factor code: ')).trim() });
    }
    const store = new CredentialStore(ctx.env);
    store.save(api.url, { token: data.token, username: data.username, role: data.role, expires_at: data.expires_at });
    ctx.out.result(
      { url: api.url, username: data.username, role: data.role, expires_at: data.expires_at, stored_in: store.file },
      () =>
        `Logged in to ${api.url} as ${data.username} (${data.role}); token stored in ${store.file} until ${data.expires_at}.`,
    );
    return 0;
  },
};

/** `velopanel logout`: end the stored session and forget its token. */
export const logoutCommand: CommandSpec = {
  path: ['logout'],
  summary: 'End the stored session of this panel and forget its token',
  async run(ctx) {
    const api = ctx.api();
    await api.request('POST', '/api/auth/logout').catch(() => undefined);
    const removed = new CredentialStore(ctx.env).remove(api.url);
    ctx.out.result({ url: api.url, logged_out: true, forgotten: removed }, () =>
      removed ? `Logged out of ${api.url}.` : `No stored login for ${api.url}.`,
    );
    return 0;
  },
};

/** `velopanel whoami`: who the token acts as. */
export const whoamiCommand: CommandSpec = {
  path: ['whoami'],
  summary: 'Show who the current token acts as',
  async run(ctx) {
    const api = ctx.api();
    const me = await api.request('GET', '/api/auth/me');
    ctx.out.result(me, () =>
      keyValues([
        ['panel', api.url],
        ['username', me.username],
        ['role', me.role],
        ['scopes', me.scopes === null ? 'all of the role' : me.scopes.join(' ')],
      ]),
    );
    return 0;
  },
};
