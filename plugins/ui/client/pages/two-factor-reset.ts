// The admin's reset of another login's two-factor login (a lost phone and lost recovery codes):
// after it the login logs in with its password alone until it enrols again.
import { api, describeError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { confirmAction } from '../components/dialog.js';
import { button } from '../components/page.js';
import { notify } from '../components/toast.js';

const RESET = '/api/users/{id}/2fa';

async function reset(login: { id: number; username: string }): Promise<void> {
  const ok = await confirmAction({
    title: 'Reset two-factor login',
    danger: true,
    confirmLabel: 'Reset two-factor',
    message: [
      h('p', null, 'Reset the two-factor login of ', h('strong', null, login.username), '?'),
      h(
        'p',
        null,
        'Its authenticator and recovery codes stop working; it logs in with its password alone until it sets up two-factor again. Do this only when you are sure who is asking.',
      ),
    ],
  });
  if (!ok) return;
  try {
    const r = await api<{ was_enabled: boolean }>('DELETE', `/api/users/${login.id}/2fa`);
    notify(
      r.was_enabled
        ? `The two-factor login of ${login.username} was reset.`
        : `${login.username} had no two-factor login; nothing changed.`,
      r.was_enabled ? 'success' : 'info',
    );
  } catch (e) {
    notify(describeError(e), 'error');
  }
}

/** A row action resetting a login's two-factor login; null where the API (or the role) lacks the route. */
export function twoFactorResetButton(login: { id: number; username: string }, role: string): HTMLElement | null {
  if (role !== 'admin' || !hasRoute('DELETE', RESET)) return null;
  return button('Reset two-factor', { small: true, onClick: () => void reset(login) });
}
