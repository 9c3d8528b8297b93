// The servers the panel runs itself in local mode (the local-services plugin): each one's state,
// version, where it listens, its restarts and, when it is not running, why.
import { api, asyncSection, badge, card, dataTable, h, hasRoute, notice, type Tone } from '../../ui/client/kit.js';

interface Service {
  name: string;
  state: 'starting' | 'running' | 'restarting' | 'stopped' | 'unavailable';
  pid: number | null;
  port: number | null;
  socket: string | null;
  version: string | null;
  restarts: number;
  reason: string | null;
}

const TONES: Record<Service['state'], Tone> = {
  running: 'ok',
  starting: 'info',
  restarting: 'warn',
  stopped: 'muted',
  unavailable: 'danger',
};

function table(services: Service[]): HTMLElement {
  return dataTable<Service>(
    [
      { label: 'Service', cell: (s) => h('strong', null, s.name) },
      { label: 'State', cell: (s) => badge(s.state, TONES[s.state] ?? 'muted') },
      { label: 'Version', cell: (s) => s.version ?? '—' },
      {
        label: 'Listens on',
        class: 'hide-md',
        cell: (s) =>
          h(
            'span',
            { class: 'wrap-any' },
            [s.port ? `127.0.0.1:${s.port}` : null, s.socket].filter(Boolean).join(', ') || '—',
          ),
      },
      { label: 'Restarts', class: 'num', cell: (s) => String(s.restarts) },
      { label: 'Why', cell: (s) => h('span', { class: 'wrap-any' }, s.reason ?? '') },
    ],
    services,
    { empty: 'No servers are managed.', label: 'Managed services', keepTable: true },
  );
}

/** The card, reloadable, on a panel with the route (admins only reach the system page); else null. */
export function servicesCard(): (HTMLElement & { reload: () => Promise<boolean> }) | null {
  if (!hasRoute('GET', '/api/system/services')) return null;
  const section = asyncSection(async () => {
    const r = await api<{ managed: boolean; services: Service[] }>('GET', '/api/system/services');
    if (!r.managed)
      return notice(
        'info',
        'The panel runs no servers itself here: in linux mode it uses the system\u2019s services, and in local mode managed_services is off.',
      );
    return table(r.services);
  }, 'local-services');
  return Object.assign(card('Managed services', section, { class: 'card-flush' }), { reload: section.reload });
}
