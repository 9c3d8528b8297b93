// The licence: tier, state, limits and usage, expiry; admins install a new one. Never behind
// the licence itself — reachable when it has expired.
import { api, ApiError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { formatDate, formatLimit } from '../base/format.js';
import { asyncSection } from '../components/async-section.js';
import { field, form } from '../components/form.js';
import { usageBar } from '../components/meter.js';
import { badge, card, definitionList, notice, pageHeader } from '../components/page.js';
import { notify } from '../components/toast.js';
import { MANAGERS, type PageDef } from '../shell/types.js';

const STATE_TONE = { valid: 'ok', grace: 'warn', expired: 'danger', invalid: 'danger', none: 'muted' } as const;

function describe(l: any): HTMLElement {
  const state = String(l.state ?? 'none') as keyof typeof STATE_TONE;
  const tier = String(l.tier ?? 'community');
  return h(
    'div',
    { class: 'stack' },
    l.message ? notice(state === 'valid' ? 'info' : 'error', String(l.message)) : null,
    h(
      'div',
      { class: 'grid grid-2' },
      card(
        'Licence',
        definitionList([
          ['Tier', h('strong', null, tier[0]!.toUpperCase() + tier.slice(1))],
          ['State', badge(state === 'none' ? 'no licence (Community)' : state, STATE_TONE[state] ?? 'muted')],
          ['Customer', l.customer ?? '—'],
          ['Valid from', formatDate(l.not_before)],
          ['Expires', formatDate(l.expires_at)],
          ['Grace until', formatDate(l.grace_until)],
          ['Features', Array.isArray(l.features) && l.features.length ? l.features.join(', ') : '—'],
        ]),
      ),
      card(
        'Usage',
        h(
          'div',
          { class: 'stack' },
          usageBar('Accounts', l.usage?.accounts ?? 0, l.limits?.max_accounts ?? null),
          usageBar('Domains', l.usage?.domains ?? 0, l.limits?.max_domains ?? null),
          h(
            'p',
            { class: 'hint' },
            `Limits: ${formatLimit(l.limits?.max_accounts)} accounts, ${formatLimit(l.limits?.max_domains)} domains.`,
          ),
        ),
      ),
    ),
  );
}

export const licencePage: PageDef = {
  path: '/licence',
  title: 'Licence',
  roles: MANAGERS,
  nav: { label: 'Licence', icon: 'licence', section: 'panel', order: 20 },
  render(ctx) {
    const info = asyncSection(async () => {
      try {
        return describe(await api('GET', '/api/license'));
      } catch (e) {
        if (!(e instanceof ApiError && e.unavailable)) throw e;
        const stats = await api<any>('GET', '/api/system/stats');
        return describe({
          tier: stats.license?.tier,
          state: stats.license?.state ?? (stats.license?.valid ? 'valid' : 'invalid'),
          expires_at: stats.license?.expires_at,
          limits: { max_accounts: stats.accounts?.limit, max_domains: stats.domains?.limit },
          usage: { accounts: stats.accounts?.count, domains: stats.domains?.count },
        });
      }
    });
    ctx.root.append(pageHeader('Licence', 'What this panel is licensed for.'), info);
    if (ctx.session.role === 'admin' && hasRoute('POST', '/api/license')) {
      const f = form(
        field({
          name: 'license_key',
          label: 'Licence key',
          type: 'textarea',
          required: true,
          hint: 'Paste the signed licence you received. It is checked before it replaces the current one.',
        }),
        'Install licence',
        async (v) => {
          await api('POST', '/api/license', { license_key: (v.license_key ?? '').trim() });
          notify('The new licence is installed.', 'success');
          f.reset();
          void info.reload();
        },
      );
      ctx.root.append(card('Install a licence', f));
    }
  },
};
