// "Change password" on an account: a dialog that sets the account's panel login and system user
// password at once; the account's sessions end, so an account changing its own logs in again.
import { api, ApiError, sessionEnded } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import type { Account } from '../components/account-picker.js';
import { openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { button } from '../components/page.js';
import { notify } from '../components/toast.js';

const ROUTE = '/api/accounts/{id}/password';

function passwordDialog(a: Account, self: boolean): void {
  let close = () => undefined as void;
  const f = form([
    h('p', null, 'New password for ', h('strong', null, a.username), '. It is used for the panel login and, on Linux servers, for SSH/SFTP. ',
      self ? 'You will be logged out and log in again with it.' : 'The account\'s open sessions end.'),
    h('div', { class: 'form-grid' },
      field({ name: 'password', label: 'New password', type: 'password', required: true, autofocus: true, minlength: 8, maxlength: 128, autocomplete: 'new-password', hint: '8–128 characters.' }),
      field({ name: 'confirm', label: 'Repeat new password', type: 'password', required: true, minlength: 8, maxlength: 128, autocomplete: 'new-password' }),
    ),
  ], 'Change password', async (v) => {
    if (v.password !== v.confirm) throw new ApiError('The two passwords do not match.', 400, 'VALIDATION');
    await api('POST', `/api/accounts/${a.id}/password`, { password: v.password });
    close();
    notify(`The password of ${a.username} was changed.`, 'success');
    // The change ended this login's own session too: back to the login page.
    if (self) sessionEnded.dispatchEvent(new Event('ended'));
  }, button('Cancel', { onClick: () => close() }));
  close = openDialog('Change password', f);
}

/** The row action, or null when the API has no such route or the account is not in a state to change. */
export function passwordButton(a: Account, self: boolean): HTMLElement | null {
  if (!hasRoute('POST', ROUTE) || (a.status !== 'active' && a.status !== 'suspended')) return null;
  return button('Change password', { small: true, onClick: () => passwordDialog(a, self) });
}

/** Whether the accounts table offers the action at all. */
export function canChangePasswords(): boolean {
  return hasRoute('POST', ROUTE);
}
