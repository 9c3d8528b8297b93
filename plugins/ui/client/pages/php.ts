// PHP: installed versions, and per account the version, mode and php.ini settings.
import { api, listOf } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h, mount } from '../base/dom.js';
import { perAccountPage, type Account } from '../components/account-picker.js';
import { asyncSection, loadInto } from '../components/async-section.js';
import { field, form } from '../components/form.js';
import { badge, card, notice } from '../components/page.js';
import { dataTable } from '../components/table.js';
import { notify } from '../components/toast.js';
import { EVERYONE, type PageDef } from '../shell/types.js';
import { iniSettings } from './php-ini.js';

interface PhpVersion {
  version: string;
  modes?: string[];
  default?: boolean;
  binaries?: Record<string, string> | string[];
  path?: string;
}

const MODES = [
  { value: 'fpm', label: 'PHP-FPM (a pool running as the account)' },
  { value: 'cgi', label: 'CGI' },
  { value: 'lsapi', label: 'LSAPI (Pro or Business licence)' },
];

function binaries(v: PhpVersion): string {
  if (Array.isArray(v.binaries)) return v.binaries.join(', ');
  if (v.binaries && typeof v.binaries === 'object') return Object.values(v.binaries).join(', ');
  return v.path ?? '—';
}

async function accountSettings(account: Account, versions: PhpVersion[]): Promise<HTMLElement> {
  const cfg = await api<any>('GET', `/api/php/config/${account.id}`);
  const status = h('div');
  if (cfg?.applied === false)
    mount(
      status,
      notice(
        'info',
        String(cfg.reason ?? 'The web server cannot apply this setting per account.'),
        'Not applied by the web server',
      ),
    );
  const options = versions.map((v) => ({ value: v.version, label: v.default ? `${v.version} (default)` : v.version }));
  const f = form(
    h(
      'div',
      { class: 'form-grid' },
      field({
        name: 'version',
        label: 'PHP version',
        type: 'select',
        required: true,
        options,
        value: String(cfg?.version ?? ''),
      }),
      field({
        name: 'mode',
        label: 'Mode',
        type: 'select',
        required: true,
        options: MODES,
        value: String(cfg?.mode ?? 'fpm'),
      }),
    ),
    'Save PHP settings',
    async (v) => {
      const res = await api<any>('POST', `/api/php/version/${account.id}`, { version: v.version, mode: v.mode });
      if (res?.applied === false)
        mount(
          status,
          notice(
            'info',
            String(res.reason ?? 'The web server cannot apply this per account.'),
            'Saved, but not applied',
          ),
        );
      else status.replaceChildren();
      notify(`PHP ${v.version} (${v.mode}) is set for ${account.username}.`, 'success');
    },
  );
  if (!hasRoute('POST', '/api/php/version/{account_id}'))
    f.querySelector('button[type=submit]')?.setAttribute('disabled', '');
  return h('div', { class: 'stack' }, status, f);
}

export const phpPage: PageDef = {
  path: '/php',
  title: 'PHP',
  roles: EVERYONE,
  plugin: 'php',
  nav: { label: 'PHP', icon: 'php', section: 'hosting', order: 40 },
  async render(ctx) {
    let versions: PhpVersion[] = [];
    const installed = asyncSection(async () => {
      versions = listOf<PhpVersion>(await api('GET', '/api/php/versions'), 'versions');
      return dataTable<PhpVersion>(
        [
          { label: 'Version', cell: (v) => h('strong', null, `PHP ${v.version}`) },
          { label: 'Modes', cell: (v) => (v.modes ?? []).map((m) => badge(m, 'info')) },
          { label: 'Default', cell: (v) => (v.default ? badge('default', 'ok') : '') },
          { label: 'Binaries', cell: (v) => h('code', { class: 'wrap-any' }, binaries(v)) },
        ],
        versions,
        { empty: 'No PHP binaries were found on this server.', label: 'Installed PHP versions' },
      );
    }, 'php');
    const settings = h('div');
    const ini = h('div');
    await perAccountPage(
      ctx,
      'PHP',
      'Versions on this server, and the version, mode and settings of each account.',
      (account) => {
        void loadInto(
          settings,
          async () => {
            if (!versions.length) versions = listOf<PhpVersion>(await api('GET', '/api/php/versions'), 'versions');
            return accountSettings(account, versions);
          },
          'php',
        );
        void loadInto(ini, () => iniSettings(account), 'php');
      },
      [
        h('div', { class: 'grid grid-2' }, card('Account PHP', settings), card('php.ini settings', ini)),
        card('Installed versions', installed, { class: 'card-flush' }),
      ],
    );
  },
};
