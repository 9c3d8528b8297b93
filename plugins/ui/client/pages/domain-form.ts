// The "add domain" dialog: account, name, type and document root (suggested from the account's home).
import { api } from '../base/api.js';
import { h } from '../base/dom.js';
import type { Account } from '../components/account-picker.js';
import { openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { button } from '../components/page.js';
import { notify } from '../components/toast.js';

const TYPES = [
  { value: 'addon', label: 'Addon domain (its own website)' },
  { value: 'subdomain', label: 'Subdomain of a domain the account has' },
  { value: 'alias', label: 'Alias (shows the primary website)' },
];

/** Open the dialog; `done` runs after a domain was added. */
export function addDomainDialog(accounts: Account[], preselect: number | null, done: () => void): void {
  let close = () => undefined as void;
  const options = accounts.map((a) => ({
    value: String(a.id),
    label: a.primary_domain ? `${a.username} — ${a.primary_domain}` : a.username,
  }));
  const f = form(
    [
      h(
        'div',
        { class: 'form-grid' },
        accounts.length
          ? field({
              name: 'account_id',
              label: 'Account',
              type: 'select',
              required: true,
              options,
              value: String(preselect ?? accounts[0]?.id ?? ''),
            })
          : field({ name: 'account_id', label: 'Account ID', type: 'number', required: true }),
        field({
          name: 'domain_name',
          label: 'Domain name',
          required: true,
          autofocus: true,
          placeholder: 'blog.example.com',
          inputmode: 'url',
        }),
        field({ name: 'domain_type', label: 'Type', type: 'select', required: true, options: TYPES, value: 'addon' }),
        field({
          name: 'document_root',
          label: 'Document root',
          required: true,
          hint: 'An absolute path inside the account\u2019s home directory.',
        }),
      ),
    ],
    'Add domain',
    async (v) => {
      await api('POST', '/api/domains', {
        account_id: Number(v.account_id),
        domain_name: v.domain_name?.trim(),
        domain_type: v.domain_type,
        document_root: v.document_root?.trim(),
      });
      close();
      notify(`${v.domain_name} was added.`, 'success');
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  const q = <T extends Element>(sel: string) => f.querySelector(sel) as T;
  const root = q<HTMLInputElement>('input[name=document_root]');
  let edited = false;
  root.addEventListener('input', () => (edited = true));
  const suggest = () => {
    if (edited) return;
    const acct = accounts.find((a) => String(a.id) === q<HTMLSelectElement>('[name=account_id]').value);
    const name = q<HTMLInputElement>('input[name=domain_name]').value.trim().toLowerCase();
    const home = acct?.home_dir ?? (acct ? `/home/${acct.username}` : '');
    root.value = home && name ? `${home}/${name}` : home;
  };
  f.addEventListener('input', (e) => {
    if ((e.target as Element) !== root) suggest();
  });
  f.addEventListener('change', suggest);
  suggest();
  close = openDialog('Add domain', f, { wide: true });
}
