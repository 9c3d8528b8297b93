// The dashboard's web-server card: engine, state, version, process; for the admin "Reload" and
// "Rebuild configs" (every vhost written again from the database, then one reload — after a
// hand edit or a restored backup left the files out of step).
import { api, describeError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { formatDuration } from '../base/format.js';
import { asyncSection } from '../components/async-section.js';
import { confirmAction } from '../components/dialog.js';
import { badge, button, card, definitionList } from '../components/page.js';
import { notify } from '../components/toast.js';
import { h } from '../base/dom.js';
import type { PageContext } from '../shell/types.js';

/** A small button that runs `work`, disabled meanwhile; a failure is a toast in the API's words. */
function action(label: string, icon: string, work: () => Promise<void>): HTMLButtonElement {
  return button(label, {
    icon,
    small: true,
    onClick: async (e) => {
      const b = e.currentTarget as HTMLButtonElement;
      b.disabled = true;
      try {
        await work();
      } catch (err) {
        notify(describeError(err), 'error');
      } finally {
        b.disabled = false;
      }
    },
  });
}

export function webServerCard(ctx: PageContext): HTMLElement {
  const body = asyncSection(async () => {
    const s = await api<any>('GET', '/api/webserver/status');
    const state = s.running
      ? badge('running', 'ok')
      : s.installed === false
        ? badge('not installed', 'muted')
        : badge('stopped', 'danger');
    return definitionList([
      ['Engine', s.engine ?? s.name ?? 'VeloServe'],
      ['State', state],
      ['Version', s.version ?? '—'],
      ['Process', s.pid ? `PID ${s.pid}` : '—'],
      ['Up for', s.uptime_secs !== undefined ? formatDuration(s.uptime_secs) : '—'],
    ]);
  }, 'domains');
  const admin = ctx.session.role === 'admin';
  const reload =
    admin && hasRoute('POST', '/api/webserver/reload')
      ? action('Reload', 'refresh', async () => {
          await api('POST', '/api/webserver/reload');
          notify('The web server reloaded its configuration.', 'success');
          await body.reload();
        })
      : null;
  const rebuild =
    admin && hasRoute('POST', '/api/webserver/regenerate')
      ? action('Rebuild configs', 'server', async () => {
          const ok = await confirmAction({
            title: 'Rebuild web-server configs',
            confirmLabel: 'Rebuild configs',
            message: h(
              'p',
              null,
              'Write every domain\u2019s configuration again from the panel\u2019s records and reload the web server? Hand edits to those files are replaced.',
            ),
          });
          if (!ok) return;
          const r = await api<{ changed?: number; reloaded?: boolean }>('POST', '/api/webserver/regenerate');
          notify(
            `Configs rebuilt: ${r?.changed ?? 0} changed${r?.reloaded ? ', the web server reloaded' : ''}.`,
            'success',
          );
          await body.reload();
        })
      : null;
  return card('Web server', body, { actions: h('div', { class: 'row-actions' }, reload, rebuild) });
}
