// "Open as this account": the row action that opens an account's panel as its login, and the
// banner every page of such a session shows, naming who is really looking, with the way back.
import { api, describeError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import type { Session } from '../base/session.js';
import { button, notice } from '../components/page.js';
import { notify } from '../components/toast.js';

const OPEN = '/api/accounts/{id}/impersonate';

/** A full reload: the shell, navigation and cached session all belong to the other login now. */
function reloadAt(path: string): void {
  location.assign(path);
}

/** The row action for a manager, or null when the API has no such route or the account cannot be opened. */
export function openAsButton(a: { id: number; username: string; status?: string }): HTMLElement | null {
  if (!hasRoute('POST', OPEN) || a.status !== 'active') return null;
  return button('Open as this account', {
    small: true,
    onClick: async () => {
      try {
        await api('POST', `/api/accounts/${a.id}/impersonate`);
        reloadAt('/');
      } catch (e) {
        notify(describeError(e), 'error');
      }
    },
  });
}

/** The banner of a session opened as another login; null for an ordinary one. */
export function viewingAsBanner(session: Session): HTMLElement | null {
  const by = session.impersonator;
  if (!by) return null;
  const back = button(`Return to ${by.username}`, {
    small: true,
    kind: 'primary',
    onClick: async () => {
      back.disabled = true;
      try {
        const answer = await api<{ returned_to: { username: string } | null }>('POST', '/api/auth/impersonation/end');
        // Without the opener's session to go back to (it ended meanwhile), log in again.
        reloadAt(answer?.returned_to ? '/accounts' : '/login');
      } catch (e) {
        back.disabled = false;
        notify(describeError(e), 'error');
      }
    },
  });
  return h(
    'div',
    { class: 'viewing-as', role: 'status' },
    h(
      'p',
      null,
      'You are viewing as ',
      h('strong', null, session.username),
      ` — opened by ${by.username}. Password, two-factor login and API tokens cannot be changed here.`,
    ),
    back,
  );
}

/** In place of a form that changes how the login signs in, for a session opened as it; else null. */
export function viewingAsNotice(session: Session, what: string): HTMLElement | null {
  return session.impersonator
    ? notice(
        'info',
        `You are viewing as ${session.username}: ${what} can be changed only by ${session.username} itself, after logging in.`,
        'Not while viewing as another login',
      )
    : null;
}
