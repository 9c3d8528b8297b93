// The DNS server as the admin sees it: which engine, whether it answers (its version, or why not),
// and what the last reconciliation found and repaired.
import * as ui from '../../ui/client/kit.js';

interface DnsStatus {
  engine: string;
  server: { available: boolean; version?: string; reason?: string; detail?: string };
  reconciliation: {
    state: 'pending' | 'done' | 'unavailable' | 'failed';
    created_zones: string[];
    adopted_zones: string[];
    removed_zones: string[];
    removed_records: string[];
    added_records: string[];
    foreign_zones: string[];
    failed: string[];
    error: string | null;
    finished_at: string | null;
  };
}

const RECONCILE_TONES: Record<DnsStatus['reconciliation']['state'], ui.Tone> = {
  done: 'ok',
  pending: 'info',
  unavailable: 'warn',
  failed: 'danger',
};

/** A list of names in words, or "none". */
const names = (list: string[]): HTMLElement => ui.h('span', { class: 'wrap-any' }, list.join(', ') || 'none');

function body(s: DnsStatus): HTMLElement {
  const r = s.reconciliation;
  const server = s.server.available
    ? [ui.badge('answering', 'ok'), ` ${s.server.version ?? ''}`]
    : [ui.badge('unavailable', 'danger'), ` ${s.server.reason ?? ''}${s.server.detail ? ` (${s.server.detail})` : ''}`];
  return ui.definitionList([
    ['Engine', s.engine],
    ['Server', ui.h('span', { class: 'wrap-any' }, ...server)],
    [
      'Last reconciliation',
      ui.h(
        'span',
        null,
        ui.badge(r.state, RECONCILE_TONES[r.state] ?? 'muted'),
        r.finished_at ? ` ${ui.formatDate(r.finished_at)}` : '',
        r.error ? ` — ${r.error}` : '',
      ),
    ],
    ['Zones made', names(r.created_zones)],
    ['Zones adopted', names(r.adopted_zones)],
    ['Zones removed', names([...r.removed_zones, ...r.removed_records])],
    ['Records added', names(r.added_records)],
    ['Zones no domain made (left alone)', names(r.foreign_zones)],
    ['Could not repair', names(r.failed)],
  ]);
}

/** The admin's status card (reloadable); null for other roles or without the route. */
export function dnsStatusCard(role: string): (HTMLElement & { reload: () => Promise<boolean> }) | null {
  if (role !== 'admin' || !ui.hasRoute('GET', '/api/dns/status')) return null;
  const section = ui.asyncSection(async () => body(await ui.api<DnsStatus>('GET', '/api/dns/status')), 'dns');
  return Object.assign(ui.card('DNS server', section), { reload: section.reload });
}
