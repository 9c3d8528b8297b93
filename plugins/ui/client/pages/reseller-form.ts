// Creating and changing a reseller: its login, contact email, caps on accounts and domains (empty
// = no cap), and for an existing one a new password or disabling it.
import { api } from '../base/api.js';
import { pluginActive } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { button } from '../components/page.js';
import { notify } from '../components/toast.js';

/** A reseller as `GET /api/resellers` lists it. */
export interface Reseller {
  id: number;
  username: string;
  email: string | null;
  disabled: boolean;
  max_accounts?: number | null;
  max_domains?: number | null;
  user_logins: number;
  created_at: string;
}

/** Each cap the panel offers: a plugin owns it, so it exists only while that plugin is active. */
function offeredCaps(): { name: 'max_accounts' | 'max_domains'; label: string }[] {
  const caps: { name: 'max_accounts' | 'max_domains'; label: string }[] = [];
  if (pluginActive('accounts')) caps.push({ name: 'max_accounts', label: 'Most accounts' });
  if (pluginActive('domains')) caps.push({ name: 'max_domains', label: 'Most domains' });
  return caps;
}

const capField = (name: string, label: string, value: number | null | undefined) =>
  field({
    name,
    label,
    type: 'number',
    value: value === null || value === undefined ? '' : String(value),
    inputmode: 'numeric',
    hint: 'Leave empty for no cap.',
  });

/** "" → null (no cap); digits → the number; anything else is left for the API to refuse by name. */
function cap(value: string | undefined): number | string | null {
  const v = (value ?? '').trim();
  return v === '' ? null : /^\d+$/.test(v) ? Number(v) : v;
}

/** Open the create (no `r`) or edit dialog; `done` runs after a change was saved. */
export function resellerDialog(r: Reseller | null, done: () => void): void {
  let close = () => undefined as void;
  const caps = offeredCaps();
  const fields = [
    r
      ? null
      : field({
          name: 'username',
          label: 'Username',
          required: true,
          autofocus: true,
          maxlength: 32,
          autocomplete: 'off',
        }),
    field({ name: 'email', label: 'Contact email', type: 'email', value: r?.email ?? '' }),
    caps.length ? h('div', { class: 'form-grid' }, ...caps.map((c) => capField(c.name, c.label, r?.[c.name]))) : null,
    field({
      name: 'password',
      label: r ? 'New password' : 'Password',
      type: 'password',
      required: !r,
      minlength: 8,
      autocomplete: 'new-password',
      hint: r
        ? 'Leave empty to keep it. A new one ends the reseller\u2019s sessions and API tokens.'
        : 'At least 8 characters.',
    }),
    r
      ? h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: 'disabled', checked: r.disabled }),
          ' Disabled: the reseller cannot log in; its accounts keep running',
        )
      : null,
  ];
  const f = form(
    fields,
    r ? 'Save' : 'Create reseller',
    async (v, el) => {
      // Only the caps offered: the API refuses a cap no active plugin owns
      const body: Record<string, unknown> = {
        email: v.email?.trim() || null,
        ...Object.fromEntries(caps.map((c) => [c.name, cap(v[c.name])])),
      };
      if (v.password) body.password = v.password;
      if (r) body.disabled = (el.elements.namedItem('disabled') as HTMLInputElement).checked;
      else body.username = v.username?.trim();
      const saved = await api<Reseller>(r ? 'PATCH' : 'POST', r ? `/api/resellers/${r.id}` : '/api/resellers', body);
      close();
      notify(r ? `${saved.username} was saved.` : `Reseller ${saved.username} was created.`, 'success');
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog(r ? `Change reseller ${r.username}` : 'Create reseller', f, { wide: true });
}
