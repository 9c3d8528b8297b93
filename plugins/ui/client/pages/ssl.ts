// SSL certificates: state of every domain's certificate, provision, renew, renew all that are due.
import { api, ApiError, describeError, listOf } from '../base/api.js';
import { hasRoute, pluginActive } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { formatDate } from '../base/format.js';
import { asyncSection } from '../components/async-section.js';
import { openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { badge, button, card, definitionList, notice, pageHeader } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import { EVERYONE, type PageDef } from '../shell/types.js';
import {
  certBadge,
  certDaysLeft,
  certExpiry,
  certIssuer,
  certificatesByDomain,
  type Certificate,
} from './ssl-state.js';

interface Row {
  domain: string;
  cert?: Certificate;
}

/** One entry of a renewal report in words (`example.com: reason` for an error object). */
function itemText(x: unknown): string {
  if (typeof x === 'string') return x;
  const o = (x ?? {}) as Record<string, unknown>;
  const what = o.domain ?? o.name ?? '';
  const why = o.error ?? o.message ?? o.reason ?? '';
  return [what, why].filter((v) => typeof v === 'string' && v).join(': ') || 'unknown';
}

async function renew(domain: string): Promise<void> {
  const path = `/api/ssl/renew/${encodeURIComponent(domain)}`;
  try {
    await api('POST', path);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 405)) throw e;
    await api('GET', path);
  }
}

async function showDetails(domain: string): Promise<void> {
  try {
    const d = await api<Record<string, any>>('GET', `/api/ssl/certificate/${encodeURIComponent(domain)}`);
    const text = (v: unknown) =>
      Array.isArray(v)
        ? v.join(', ')
        : v === null || v === undefined || v === ''
          ? '—'
          : typeof v === 'object'
            ? Object.entries(v as object)
                .map(([k, x]) => `${k}: ${String(x)}`)
                .join('; ')
            : String(v);
    const r = d?.renewal ?? {};
    const known: [string, unknown][] = [
      ['Subject', d?.subject],
      ['Names', d?.sans],
      ['Issuer', d?.issuer],
      ['Valid from', formatDate(d?.valid_from)],
      ['Valid until', formatDate(d?.valid_to ?? d?.expiry)],
      ['Days left', d?.days_left],
      ['Serial', d?.serial],
      ['SHA-256 fingerprint', d?.fingerprint_sha256],
      ['Source', d?.source],
      [
        'Renewal',
        r.due === undefined
          ? undefined
          : r.due
            ? 'due now'
            : r.renew_after
              ? `from ${formatDate(r.renew_after)}`
              : 'not due',
      ],
      ['Last renewal', r.last_status ? `${r.last_status}${r.last_error ? `: ${r.last_error}` : ''}` : undefined],
    ];
    const rows = known
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, h('span', { class: 'wrap-any' }, text(v))] as [string, HTMLElement]);
    openDialog(`Certificate of ${domain}`, definitionList(rows), { wide: true });
  } catch (e) {
    notify(describeError(e), 'error');
  }
}

function provisionDialog(domains: string[], preset: string | null, done: () => void): void {
  let close = () => undefined as void;
  const f = form(
    [
      domains.length
        ? field({
            name: 'domain',
            label: 'Domain',
            type: 'select',
            required: true,
            options: domains.map((d) => ({ value: d, label: d })),
            value: preset ?? domains[0],
          })
        : field({ name: 'domain', label: 'Domain', required: true, placeholder: 'example.com' }),
      field({
        name: 'webroot',
        label: 'Challenge webroot',
        placeholder: 'the domain\u2019s document root',
        hint: 'Only if the challenge files must go somewhere else than the domain\u2019s document root.',
      }),
      h(
        'p',
        { class: 'hint' },
        'The domain must resolve to this server on port 80. Let\u2019s Encrypt checks it over HTTP; this takes a few seconds.',
      ),
    ],
    'Provision certificate',
    async (v) => {
      await api(
        'POST',
        '/api/ssl/provision',
        v.webroot ? { domain: v.domain, webroot: v.webroot } : { domain: v.domain },
      );
      close();
      notify(`A certificate for ${v.domain} was issued.`, 'success');
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog('Provision a certificate', f);
}

export const sslPage: PageDef = {
  path: '/ssl',
  title: 'SSL certificates',
  roles: EVERYONE,
  plugin: 'ssl',
  nav: { label: 'SSL', icon: 'ssl', section: 'hosting', order: 30 },
  render(ctx) {
    const summary = h('span');
    let domainNames: string[] = [];
    // Whether certificates can be ordered at all; when not, Provision is not offered and the page says why.
    const acme = hasRoute('GET', '/api/ssl/acme')
      ? api<{ ready: boolean; reason: string | null }>('GET', '/api/ssl/acme').catch(() => null)
      : Promise.resolve(null);
    const blocked = h('div');
    void acme.then((a) => {
      if (!a || a.ready) return;
      blocked.append(
        notice(
          'info',
          ctx.session.role === 'admin'
            ? `${a.reason}.`
            : 'Ask the server\u2019s administrator to set the panel\u2019s ACME email (acme_email).',
          'Certificates cannot be ordered yet',
        ),
      );
      if (provision) Object.assign(provision, { disabled: true, title: a.reason ?? '' });
    });
    const list = asyncSection(async () => {
      const [certs, domains] = await Promise.all([
        certificatesByDomain(),
        pluginActive('domains')
          ? api('GET', '/api/domains')
              .then((d) => listOf<any>(d, 'domains').map((x) => String(x.domain_name)))
              .catch(() => [])
          : Promise.resolve([] as string[]),
      ]);
      domainNames = [...new Set([...domains, ...certs.keys()])].sort();
      const rows: Row[] = domainNames.map((domain) => ({ domain, cert: certs.get(domain) }));
      const orderable = (await acme)?.ready !== false;
      const days = [...certs.values()].map(certDaysLeft);
      summary.replaceChildren(
        badge(`${days.filter((d) => d !== null && d > 30).length} valid`, 'ok'),
        ' ',
        badge(`${days.filter((d) => d !== null && d >= 0 && d <= 30).length} expiring`, 'warn'),
        ' ',
        badge(`${days.filter((d) => d !== null && d < 0).length} expired`, 'danger'),
      );
      const actions = (r: Row) =>
        rowActions(
          r.cert ? button('Details', { small: true, onClick: () => void showDetails(r.domain) }) : null,
          r.cert
            ? button('Renew', {
                small: true,
                onClick: async (e) => {
                  const b = e.currentTarget as HTMLButtonElement;
                  b.disabled = true;
                  try {
                    await renew(r.domain);
                    notify(`The certificate of ${r.domain} was renewed.`, 'success');
                    void list.reload();
                  } catch (err) {
                    notify(describeError(err), 'error');
                  } finally {
                    b.disabled = false;
                  }
                },
              })
            : button('Provision', {
                small: true,
                kind: 'primary',
                disabled: !orderable,
                title: orderable ? undefined : 'Certificates cannot be ordered yet: see above.',
                onClick: () => provisionDialog(domainNames, r.domain, () => void list.reload()),
              }),
        );
      return card(
        null,
        dataTable<Row>(
          [
            { label: 'Domain', cell: (r) => h('strong', { class: 'break' }, r.domain) },
            { label: 'State', cell: (r) => certBadge(r.cert) },
            { label: 'Issuer', class: 'hide-md', cell: (r) => (r.cert ? certIssuer(r.cert) : '—') },
            { label: 'Expires', class: 'nowrap', cell: (r) => (r.cert ? formatDate(certExpiry(r.cert)) : '—') },
            { label: 'Actions', class: 'col-actions', cell: actions },
          ],
          rows,
          { empty: 'No domains or certificates yet.', label: 'Certificates' },
        ),
        { class: 'card-flush' },
      );
    }, 'ssl');
    const provision = hasRoute('POST', '/api/ssl/provision')
      ? button('Provision', {
          kind: 'primary',
          icon: 'plus',
          onClick: () => provisionDialog(domainNames, null, () => void list.reload()),
        })
      : null;
    const autoRenew = hasRoute('POST', '/api/ssl/auto-renew')
      ? button('Renew all due', {
          icon: 'refresh',
          onClick: async (e) => {
            const b = e.currentTarget as HTMLButtonElement;
            b.disabled = true;
            try {
              const r = await api<any>('POST', '/api/ssl/auto-renew');
              const line = (label: string, v: unknown) =>
                [label, listOf<unknown>(v).map(itemText).join(', ') || 'none'] as [string, string];
              openDialog(
                'Renewal finished',
                definitionList([
                  line('Renewed', r?.renewed),
                  line('Skipped (not due)', r?.skipped),
                  line('Errors', r?.errors),
                ]),
              );
              void list.reload();
            } catch (err) {
              notify(describeError(err), 'error');
            } finally {
              b.disabled = false;
            }
          },
        })
      : null;
    ctx.root.append(pageHeader('SSL certificates', summary, autoRenew, provision), blocked, list);
  },
};
