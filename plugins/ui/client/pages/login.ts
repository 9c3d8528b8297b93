// Log in with a panel login (admin, reseller, or a hosting account's own username).
import { ApiError } from '../base/api.js';
import { h, mount } from '../base/dom.js';
import { navigate } from '../base/router.js';
import { login, loginWithCode, setupState, type LoggedIn } from '../base/session.js';
import { icon } from '../components/icons.js';
import { field, form } from '../components/form.js';
import { notice } from '../components/page.js';

/** The frame of the login and setup pages. */
export function authCard(title: string, subtitle: string, ...body: (Node | null)[]): HTMLElement {
  return h(
    'div',
    { class: 'auth-wrap' },
    h(
      'main',
      { class: 'auth-card', id: 'main' },
      h(
        'div',
        { class: 'brand brand-large' },
        h('span', { class: 'brand-mark' }, icon('logo', 22)),
        h('span', null, 'VeloPanel'),
      ),
      h('h1', null, title),
      h('p', { class: 'subtitle' }, subtitle),
      ...body,
    ),
  );
}

/** Only a path of this panel may be the target after login (no open redirect). */
function safeNext(next: string | null): string {
  return next && /^\/(?!\/)/.test(next) && !next.startsWith('/login') ? next : '/';
}

/** The second step, when the login has two-factor login on: a code from the app or a recovery code. */
function codeStep(app: HTMLElement, challenge: string, done: (l: LoggedIn) => void): void {
  const f = form(
    field({
      name: 'code',
      label: 'Code',
      required: true,
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      autofocus: true,
      maxlength: 32,
      hint: 'The 6-digit code from your authenticator app, or one of your recovery codes.',
    }),
    'Verify',
    async (v) => done(await loginWithCode(challenge, (v.code ?? '').trim())),
  );
  f.classList.add('form-stacked');
  mount(app, authCard('Two-factor login', 'Enter the code from your authenticator app.', f));
  (f.querySelector('input[name=code]') as HTMLInputElement | null)?.focus();
}

export async function renderLogin(app: HTMLElement, query: URLSearchParams): Promise<void> {
  document.title = 'Log in · VeloPanel';
  const setup = await setupState();
  if (setup?.required) {
    navigate('/setup', true);
    return;
  }
  const info = query.get('bye')
    ? notice('success', 'You have logged out.')
    : query.get('next')
      ? notice('info', 'Please log in to continue.')
      : null;
  const f = form(
    [
      field({ name: 'username', label: 'Username', required: true, autocomplete: 'username', autofocus: true }),
      field({
        name: 'password',
        label: 'Password',
        type: 'password',
        required: true,
        autocomplete: 'current-password',
      }),
    ],
    'Log in',
    async (v) => {
      const done = (l: LoggedIn) => {
        if (!l.session)
          throw new ApiError('Logged in, but the panel did not recognise the session. Please try again.', 401);
        // A role that requires two-factor login it has not enabled may only enrol.
        navigate(l.mustEnrol ? '/security?enrol=1' : safeNext(query.get('next')), true);
      };
      try {
        done(await login(v.username ?? '', v.password ?? ''));
      } catch (e) {
        if (e instanceof ApiError && e.code === 'TOTP_REQUIRED' && e.challenge) return codeStep(app, e.challenge, done);
        if (e instanceof ApiError && e.unavailable)
          throw new ApiError(
            'Logging in is not available: the panel has no authentication module installed.',
            e.status,
          );
        throw e;
      }
    },
  );
  f.classList.add('form-stacked');
  mount(app, authCard('Log in', 'Sign in to manage your hosting.', info, f));
  (f.querySelector('input[name=username]') as HTMLInputElement | null)?.focus();
}
