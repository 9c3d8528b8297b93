// Log in with a panel login (admin, reseller, or a hosting account's own username).
import { ApiError } from '../base/api.js';
import { h, mount } from '../base/dom.js';
import { navigate } from '../base/router.js';
import { login, setupState } from '../base/session.js';
import { icon } from '../components/icons.js';
import { field, form } from '../components/form.js';
import { notice } from '../components/page.js';

/** The frame of the login and setup pages. */
export function authCard(title: string, subtitle: string, ...body: (Node | null)[]): HTMLElement {
  return h('div', { class: 'auth-wrap' }, h('main', { class: 'auth-card', id: 'main' },
    h('div', { class: 'brand brand-large' }, h('span', { class: 'brand-mark' }, icon('logo', 22)), h('span', null, 'VeloPanel')),
    h('h1', null, title), h('p', { class: 'subtitle' }, subtitle), ...body));
}

/** Only a path of this panel may be the target after login (no open redirect). */
function safeNext(next: string | null): string {
  return next && /^\/(?!\/)/.test(next) && !next.startsWith('/login') ? next : '/';
}

export async function renderLogin(app: HTMLElement, query: URLSearchParams): Promise<void> {
  document.title = 'Log in · VeloPanel';
  const setup = await setupState();
  if (setup?.required) {
    navigate('/setup', true);
    return;
  }
  const info = query.get('bye') ? notice('success', 'You have logged out.') : query.get('next') ? notice('info', 'Please log in to continue.') : null;
  const f = form(
    [
      field({ name: 'username', label: 'Username', required: true, autocomplete: 'username', autofocus: true }),
      field({ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password' }),
    ],
    'Log in',
    async (v) => {
      try {
        const session = await login(v.username ?? '', v.password ?? '');
        if (!session) throw new ApiError('Logged in, but the panel did not recognise the session. Please try again.', 401);
      } catch (e) {
        if (e instanceof ApiError && e.unavailable) throw new ApiError('Logging in is not available: the panel has no authentication module installed.', e.status);
        throw e;
      }
      navigate(safeNext(query.get('next')), true);
    },
  );
  f.classList.add('form-stacked');
  mount(app, authCard('Log in', 'Sign in to manage your hosting.', info, f));
  (f.querySelector('input[name=username]') as HTMLInputElement | null)?.focus();
}
