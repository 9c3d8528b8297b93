// First run: an admin's dashboard on a panel without accounts shows the three steps to a live
// site — create an account, point the domain's DNS at this server, get a certificate. It goes
// away by itself once the first account exists.
import { api } from '../base/api.js';
import { h } from '../base/dom.js';
import { linkButton } from '../components/page.js';

interface Step {
  title: string;
  text: (string | HTMLElement)[];
  action: HTMLElement;
}

function steps(hostname: string | null): Step[] {
  return [
    {
      title: 'Create a hosting account',
      text: ['An account is a customer: a system user, a home folder and its first domain.'],
      action: linkButton('Create account', '/accounts', { kind: 'primary', small: true, icon: 'plus' }),
    },
    {
      title: 'Point the domain’s DNS here',
      text: [
        'At the domain’s registrar, set the A (and AAAA) record of the domain and of its www name to the public IP address of this server',
        hostname ? [', ', h('code', null, hostname)] : '',
        '. Changes can take a few hours to reach everyone.',
      ].flat(),
      action: linkButton('Domains', '/domains', { small: true, icon: 'domains' }),
    },
    {
      title: 'Get a certificate',
      text: [
        'Once the DNS answers with this server, issue a free Let’s Encrypt certificate so the site opens over HTTPS.',
      ],
      action: linkButton('SSL certificates', '/ssl', { small: true, icon: 'ssl' }),
    },
  ];
}

/** The checklist card; stays empty (and takes no room) when the panel already has accounts. */
export function firstRunChecklist(): HTMLElement {
  // data-first-run says when the check is over (pending → shown or none), for tests and styling.
  const host = h('div', { class: 'first-run-host', 'data-first-run': 'pending' });
  void (async () => {
    const stats = await api<any>('GET', '/api/system/stats').catch(() => null);
    if (!stats || (stats.accounts?.count ?? 0) > 0) {
      host.dataset.firstRun = 'none';
      return;
    }
    const info = await api<any>('GET', '/api/system/info').catch(() => null);
    const list = h(
      'ol',
      { class: 'checklist' },
      steps(typeof info?.hostname === 'string' ? info.hostname : null).map((s, i) =>
        h(
          'li',
          { class: 'checklist-step' },
          h('span', { class: 'checklist-num', 'aria-hidden': 'true' }, String(i + 1)),
          h('div', { class: 'checklist-text' }, h('h3', null, s.title), h('p', { class: 'muted' }, s.text)),
          s.action,
        ),
      ),
    );
    host.append(
      h(
        'section',
        { class: 'card first-run', 'aria-labelledby': 'first-run-title' },
        h(
          'div',
          { class: 'card-head' },
          h('h2', { id: 'first-run-title' }, 'Get started'),
          h('span', { class: 'muted' }, 'No hosting accounts yet — three steps to the first live site.'),
        ),
        h('div', { class: 'card-body' }, list),
      ),
    );
    host.dataset.firstRun = 'shown';
  })();
  return host;
}
