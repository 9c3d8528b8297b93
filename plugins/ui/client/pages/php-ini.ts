// Per-account php.ini settings from the PHP plugin's allow-list.
import { api } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import type { Account } from '../components/account-picker.js';
import { field, form } from '../components/form.js';
import { emptyState, notice } from '../components/page.js';
import { notify } from '../components/toast.js';

/** The settings form; the answer is sent back in the shape the API gave it (`{settings}` or flat). */
export async function iniSettings(account: Account): Promise<HTMLElement> {
  if (!hasRoute('GET', '/api/php/ini/{account_id}'))
    return emptyState('This panel\u2019s PHP plugin does not offer php.ini settings.');
  const data = await api<any>('GET', `/api/php/ini/${account.id}`);
  const wrapped = data && typeof data.settings === 'object' && data.settings !== null;
  const values: Record<string, unknown> = wrapped ? data.settings : (data ?? {});
  const keys = Object.keys(values)
    .filter((k) => /^[a-z0-9_.]+$/.test(k))
    .sort();
  if (!keys.length) return emptyState('No php.ini settings are available for this account.');
  const f = form(
    h(
      'div',
      { class: 'form-grid' },
      keys.map((k) =>
        field({
          name: k,
          label: k,
          plain: true,
          placeholder: 'server default',
          value: values[k] === null || values[k] === undefined ? '' : String(values[k]),
        }),
      ),
    ),
    'Save php.ini settings',
    async (v) => {
      const settings: Record<string, string> = {};
      for (const k of keys) if (v[k] !== undefined && v[k] !== '') settings[k] = v[k]!;
      await api('POST', `/api/php/ini/${account.id}`, wrapped ? { settings } : settings);
      notify(`php.ini settings of ${account.username} were saved.`, 'success');
    },
  );
  const status =
    data?.applied === false
      ? notice(
          'info',
          String(data.reason ?? 'The web server cannot apply these settings for this account.'),
          'Not applied by the web server',
        )
      : null;
  return h(
    'div',
    { class: 'stack' },
    status,
    h('p', { class: 'hint' }, 'Leave a field empty to use the server\u2019s default.'),
    f,
  );
}
