// How bandwidth is measured (the bandwidth plugin): from which web server's logs, what happens to
// an account over its quota, the latest collection, and "Collect now" for the admin.
import {
  api,
  asyncSection,
  badge,
  button,
  card,
  definitionList,
  describeError,
  formatBytes,
  formatDate,
  h,
  hasRoute,
  notify,
  plural,
} from '../../ui/client/kit.js';

interface Collection {
  at: string;
  logs: number;
  bytes: number;
  accounts: number[];
  notes: string[];
}

interface Bandwidth {
  engine: string | null;
  measured: boolean;
  dir: string | null;
  detail: string;
  period: string;
  action: string;
  last_collection: Collection | null;
}

function last(c: Collection | null): HTMLElement | string {
  if (!c) return 'none yet on this node';
  return h(
    'span',
    { class: 'wrap-any' },
    `${formatDate(c.at)}: ${plural(c.logs, 'log')} read, ${formatBytes(c.bytes)} counted for ${plural(c.accounts.length, 'account')}`,
    c.notes.length ? ` (${c.notes.join('; ')})` : '',
  );
}

function body(b: Bandwidth): HTMLElement {
  return definitionList([
    ['Measured', h('span', null, b.measured ? badge('yes', 'ok') : badge('no', 'warn'), ` ${b.detail}`)],
    ['Web server', b.engine ?? '—'],
    ['Log directory', h('span', { class: 'wrap-any' }, b.dir ?? '—')],
    ['This period', b.period],
    ['Over quota', b.action],
    ['Last collection', last(b.last_collection)],
  ]);
}

/** The card (reloadable) for a panel with the bandwidth plugin's route; else null. */
export function bandwidthCard(): (HTMLElement & { reload: () => Promise<boolean> }) | null {
  if (!hasRoute('GET', '/api/bandwidth')) return null;
  const section = asyncSection(async () => body(await api<Bandwidth>('GET', '/api/bandwidth')), 'bandwidth');
  const collect = hasRoute('POST', '/api/bandwidth/collect')
    ? button('Collect now', {
        small: true,
        icon: 'refresh',
        onClick: async (e) => {
          const b = e.currentTarget as HTMLButtonElement;
          b.disabled = true;
          try {
            const r = await api<Collection>('POST', '/api/bandwidth/collect');
            notify(`Bandwidth collected: ${formatBytes(r.bytes)} from ${plural(r.logs, 'log')}.`, 'success');
            await section.reload();
          } catch (err) {
            notify(describeError(err), 'error');
          } finally {
            b.disabled = false;
          }
        },
      })
    : null;
  return Object.assign(card('Bandwidth', section, { actions: collect }), { reload: section.reload });
}
