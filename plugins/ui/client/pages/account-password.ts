// "Change password" on an account: a dialog that sets the account's panel login and system user
// password at once; the account's sessions and API tokens end (said before confirming), so an
// account changing its own gives the current password and logs in again.
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
  const f = form(
    [
      h(
        'p',
        null,
        'New password for ',
        h('strong', null, a.username),
        '. It is used for the panel login and, on Linux servers, for SSH/SFTP. ',
        self ? 'You will be logged out and log in again with it; ' : "The account's open sessions end, and ",
        h('strong', null, self ? 'every API token of yours is deleted.' : 'every API token of its login is deleted.'),
      ),
      h(
        'div',
        { class: 'form-grid' },
        ...(self
          ? [
              field({
                name: 'current',
                apiField: 'current_password',
                label: 'Current password',
                type: 'password',
                required: true,
                autofocus: true,
                autocomplete: 'current-password',
              }),
            ]
          : []),
        field({
          name: 'password',
          label: 'New password',
          type: 'password',
          required: true,
          autofocus: !self,
          minlength: 8,
          maxlength: 128,
          autocomplete: 'new-password',
          hint: '8–128 characters.',
        }),
        field({
          name: 'confirm',
          label: 'Repeat new password',
          type: 'password',
          required: true,
          minlength: 8,
          maxlength: 128,
          autocomplete: 'new-password',
        }),
      ),
    ],
    'Change password',
    async (v) => {
      if (v.password !== v.confirm) throw new ApiError('The two passwords do not match.', 400, 'VALIDATION');
      const done = await api<{ api_tokens_revoked: number }>(
        'POST',
        `/api/accounts/${a.id}/password`,
        self ? { password: v.password, current_password: v.current } : { password: v.password },
      );
      close();
      const tokens = done.api_tokens_revoked;
      notify(
        `The password of ${a.username} was changed.${tokens ? ` ${tokens} API token${tokens === 1 ? ' was' : 's were'} deleted.` : ''}`,
        'success',
      );
      // The change ended this login's own session too: back to the login page.
      if (self) sessionEnded.dispatchEvent(new Event('ended'));
    },
    button('Cancel', { onClick: () => close() }),
  );
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
