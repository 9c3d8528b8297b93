// Your login: who you are signed in as, and changing your own password (every other session and
// every API token of yours ends; this browser stays signed in with the new session).
import { viewingAsNotice } from '../shell/viewing-as.js';
import { api, ApiError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { plural } from '../base/format.js';
import { field, form } from '../components/form.js';
import { card, definitionList, notice, pageHeader } from '../components/page.js';
import { notify } from '../components/toast.js';
import { EVERYONE, type PageContext, type PageDef } from '../shell/types.js';

const ROLE_WORDS = {
  admin: 'Administrator: everything on this server',
  reseller: 'Reseller: the accounts you own',
  user: 'Account user: your hosting account',
};

function passwordForm(): HTMLFormElement {
  const f = form(
    [
      field({
        name: 'current',
        apiField: 'current_password',
        label: 'Current password',
        type: 'password',
        required: true,
        autocomplete: 'current-password',
      }),
      h(
        'div',
        { class: 'form-grid' },
        field({
          name: 'next',
          apiField: 'new_password',
          label: 'New password',
          type: 'password',
          required: true,
          minlength: 8,
          maxlength: 128,
          autocomplete: 'new-password',
          hint: '8–128 characters.',
        }),
        field({
          name: 'again',
          label: 'Repeat new password',
          type: 'password',
          required: true,
          minlength: 8,
          maxlength: 128,
          autocomplete: 'new-password',
        }),
      ),
      h(
        'p',
        { class: 'hint' },
        'Your other sessions end and every API token of yours is deleted; you stay logged in here.',
      ),
    ],
    'Change password',
    async (v) => {
      if (v.next !== v.again) throw new ApiError('The two new passwords do not match.', 400, 'VALIDATION');
      const done = await api<{ api_tokens_revoked?: number }>('POST', '/api/auth/password', {
        current_password: v.current,
        new_password: v.next,
      });
      const tokens = done.api_tokens_revoked ?? 0;
      f.reset();
      notify(
        `Your password was changed.${tokens ? ` ${plural(tokens, 'API token')} ${tokens === 1 ? 'was' : 'were'} deleted.` : ''}`,
        'success',
      );
    },
  );
  return f;
}

function who(ctx: PageContext): HTMLElement {
  const s = ctx.session;
  return card(
    'Signed in as',
    definitionList([
      ['Username', s.username],
      ['Role', ROLE_WORDS[s.role]],
      ...(s.accountId !== null
        ? [['Hosting account', h('a', { href: '/accounts' }, `#${s.accountId}`)] as [string, HTMLElement]]
        : []),
    ]),
  );
}

export const profilePage: PageDef = {
  path: '/profile',
  title: 'Your login',
  roles: EVERYONE,
  nav: { label: 'Your login', icon: 'accounts', section: 'panel', order: 14 },
  render(ctx) {
    const change =
      viewingAsNotice(ctx.session, 'the password') ??
      (hasRoute('POST', '/api/auth/password')
        ? card('Change your password', passwordForm())
        : notice('unavailable', 'This panel has no API to change your password.'));
    ctx.root.append(
      pageHeader(
        'Your login',
        'Who you are signed in as, and your password. Two-factor login is on the Security page.',
      ),
      h('div', { class: 'grid grid-2' }, who(ctx), change),
    );
  },
};
