// Tier-gated plugins per reseller: the admin allows them to a reseller, the reseller enables
// the allowed ones for its own accounts.
import { api, describeError, listOf, withQuery } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h, mount } from '../base/dom.js';
import { loadInto } from '../components/async-section.js';
import { badge, button, card, emptyState } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import type { Session } from '../base/session.js';

interface Grant {
  plugin_id: string;
  tier: string;
  state: string;
  reason: string | null;
  allowed: boolean;
  enabled: boolean;
}

async function act(path: string, done: string, reload: () => void): Promise<void> {
  try {
    await api('POST', path);
    notify(done, 'success');
    reload();
  } catch (e) {
    notify(describeError(e), 'error');
  }
}

function grantsTable(grants: Grant[], actions: (g: Grant) => HTMLElement | null): HTMLElement {
  return dataTable<Grant>(
    [
      { label: 'Plugin', cell: (g) => h('strong', null, g.plugin_id) },
      { label: 'Tier', cell: (g) => g.tier },
      { label: 'Allowed', cell: (g) => badge(g.allowed ? 'allowed' : 'not allowed', g.allowed ? 'ok' : 'muted') },
      { label: 'Enabled', cell: (g) => badge(g.enabled ? 'enabled' : 'off', g.enabled ? 'ok' : 'muted') },
      { label: 'Actions', class: 'col-actions', cell: actions },
    ],
    grants,
    { empty: 'No plugin on this panel is limited to a licence tier.', label: 'Reseller plugins' },
  );
}

/** The card, or null when the panel has no grant routes. */
export function pluginGrantsCard(session: Session): HTMLElement | null {
  if (!hasRoute('GET', '/api/plugins/grants')) return null;
  const body = h('div');
  if (session.role === 'reseller') {
    const load = (): Promise<boolean> =>
      loadInto(body, async () =>
        grantsTable(listOf<Grant>(await api('GET', '/api/plugins/grants')), (g) =>
          !g.allowed
            ? null
            : rowActions(
                g.enabled
                  ? button('Disable', {
                      small: true,
                      onClick: () =>
                        void act(
                          `/api/plugins/${encodeURIComponent(g.plugin_id)}/reseller/disable`,
                          `${g.plugin_id} is off for your accounts.`,
                          () => void load(),
                        ),
                    })
                  : button('Enable', {
                      small: true,
                      kind: 'primary',
                      onClick: () =>
                        void act(
                          `/api/plugins/${encodeURIComponent(g.plugin_id)}/reseller/enable`,
                          `${g.plugin_id} is on for your accounts.`,
                          () => void load(),
                        ),
                    }),
              ),
        ),
      );
    void load();
    return card('Plugins for your accounts', body, { class: 'card-flush' });
  }
  const picker = h('select', { class: 'picker-select', 'aria-label': 'Reseller' });
  const load = (): Promise<boolean> =>
    loadInto(body, async () => {
      if (!picker.value) return emptyState('There are no resellers yet.');
      const rid = picker.value;
      const grants = listOf<Grant>(await api('GET', withQuery('/api/plugins/grants', { reseller_id: rid })));
      return grantsTable(grants, (g) =>
        rowActions(
          g.allowed
            ? button('Refuse', {
                small: true,
                onClick: () =>
                  void act(
                    `/api/plugins/${encodeURIComponent(g.plugin_id)}/resellers/${rid}/deny`,
                    `${g.plugin_id} is refused to the reseller.`,
                    () => void load(),
                  ),
              })
            : button('Allow', {
                small: true,
                kind: 'primary',
                onClick: () =>
                  void act(
                    `/api/plugins/${encodeURIComponent(g.plugin_id)}/resellers/${rid}/allow`,
                    `${g.plugin_id} is allowed to the reseller.`,
                    () => void load(),
                  ),
              }),
        ),
      );
    });
  picker.addEventListener('change', () => void load());
  void api('GET', '/api/resellers').then(
    (list) => {
      mount(
        picker,
        listOf<{ id: number; username: string }>(list, 'resellers').map((r) =>
          h('option', { value: String(r.id) }, r.username),
        ),
      );
      // The resellers page links here with `?reseller=<id>` to show that reseller's grants.
      const wanted = new URLSearchParams(location.search).get('reseller');
      if (wanted && [...picker.options].some((o) => o.value === wanted)) picker.value = wanted;
      void load();
    },
    (e) => mount(body, h('p', { class: 'hint' }, describeError(e))),
  );
  return card('Reseller access to tier-gated plugins', body, { actions: picker, class: 'card-flush' });
}
