// Plugins: state (active, disabled, locked) with the reason, enable and disable for admins.
import { api, describeError, listOf } from '../base/api.js';
import { hasRoute, loadPlugins, type PluginInfo } from '../base/capabilities.js';
import { append, h } from '../base/dom.js';
import { asyncSection } from '../components/async-section.js';
import { confirmAction } from '../components/dialog.js';
import { badge, card, button, pageHeader } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import { MANAGERS, type PageDef } from '../shell/types.js';
import { pluginGrantsCard } from './plugin-grants.js';

const TONE = { active: 'ok', disabled: 'danger', locked: 'warn' } as const;

export const pluginsPage: PageDef = {
  path: '/plugins',
  title: 'Plugins',
  roles: MANAGERS,
  nav: { label: 'Plugins', icon: 'plugins', section: 'panel', order: 10 },
  render(ctx) {
    const admin = ctx.session.role === 'admin';
    const setEnabled = async (p: PluginInfo, enable: boolean) => {
      if (
        !enable &&
        !(await confirmAction({
          title: 'Disable plugin',
          danger: true,
          confirmLabel: 'Disable',
          message: [
            h('p', null, 'Disable ', h('strong', null, p.name), '?'),
            h(
              'p',
              null,
              'Its pages and API answer "not available" until it is enabled again. Nothing it manages is deleted.',
            ),
          ],
        }))
      )
        return;
      try {
        await api('POST', `/api/plugins/${encodeURIComponent(p.id)}/${enable ? 'enable' : 'disable'}`);
        notify(`${p.name} is ${enable ? 'enabled' : 'disabled'}.`, 'success');
        await loadPlugins(true);
        void list.reload();
      } catch (e) {
        notify(describeError(e), 'error');
      }
    };
    const actions = (p: PluginInfo) => {
      if (!admin || p.id === 'ui') return null;
      const off = p.reason === 'disabled by an administrator';
      if (off && hasRoute('POST', '/api/plugins/{id}/enable'))
        return rowActions(button('Enable', { small: true, kind: 'primary', onClick: () => void setEnabled(p, true) }));
      if (p.state === 'active' && hasRoute('POST', '/api/plugins/{id}/disable'))
        return rowActions(button('Disable', { small: true, onClick: () => void setEnabled(p, false) }));
      return null;
    };
    const list = asyncSection(async () => {
      const plugins = listOf<PluginInfo>(await api('GET', '/api/plugins'));
      return dataTable<PluginInfo>(
        [
          {
            label: 'Plugin',
            cell: (p) =>
              h('div', { class: 'cell-main' }, h('strong', null, p.name), h('span', { class: 'muted' }, p.id)),
          },
          { label: 'Version', cell: (p) => p.version ?? '—' },
          { label: 'Source', class: 'hide-md', cell: (p) => p.source },
          { label: 'Tier', class: 'hide-md', cell: (p) => p.tier },
          { label: 'State', cell: (p) => badge(p.state, TONE[p.state] ?? 'muted') },
          { label: 'Reason', cell: (p) => (p.reason ? h('span', { class: 'break' }, p.reason) : null) },
          ...(admin ? [{ label: 'Actions', class: 'col-actions', cell: actions }] : []),
        ],
        plugins,
        { empty: 'No plugins are installed.', label: 'Plugins' },
      );
    });
    append(
      ctx.root,
      pageHeader('Plugins', 'Everything the panel does beyond its kernel is a plugin.'),
      card(null, list, { class: 'card-flush' }),
      pluginGrantsCard(ctx.session),
    );
  },
};
