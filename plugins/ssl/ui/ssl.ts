// SSL certificates: state of every domain's certificate, provision, upload, renew, remove, renew
// all that are due, and (admin) the panel's own certificate.
import * as ui from '../../ui/client/kit.js';
import { panelCertificateCard } from './ssl-panel.js';
import { removeButton } from './ssl-remove.js';
import { domainField, uploadButton, uploadDialog } from './ssl-upload.js';

interface Row {
  domain: string;
  cert?: ui.Certificate;
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
    await ui.api('POST', path);
  } catch (e) {
    if (!(e instanceof ui.ApiError && e.status === 405)) throw e;
    await ui.api('GET', path);
  }
}

async function showDetails(domain: string): Promise<void> {
  try {
    const d = await ui.api<Record<string, any>>('GET', `/api/ssl/certificate/${encodeURIComponent(domain)}`);
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
      ['Valid from', ui.formatDate(d?.valid_from)],
      ['Valid until', ui.formatDate(d?.valid_to ?? d?.expiry)],
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
              ? `from ${ui.formatDate(r.renew_after)}`
              : 'not due',
      ],
      ['Last renewal', r.last_status ? `${r.last_status}${r.last_error ? `: ${r.last_error}` : ''}` : undefined],
    ];
    const rows = known
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, ui.h('span', { class: 'wrap-any' }, text(v))] as [string, HTMLElement]);
    ui.openDialog(`Certificate of ${domain}`, ui.definitionList(rows), { wide: true });
  } catch (e) {
    ui.notify(ui.describeError(e), 'error');
  }
}

function provisionDialog(domains: string[], preset: string | null, done: () => void): void {
  let close = () => undefined as void;
  const f = ui.form(
    [
      domainField(domains, preset),
      ui.field({
        name: 'webroot',
        label: 'Challenge webroot',
        placeholder: 'the domain\u2019s document root',
        hint: 'Only if the challenge files must go somewhere else than the domain\u2019s document root.',
      }),
      ui.h(
        'p',
        { class: 'hint' },
        'The domain must resolve to this server on port 80. Let\u2019s Encrypt checks it over HTTP; this takes a few seconds.',
      ),
    ],
    'Provision certificate',
    async (v) => {
      await ui.api(
        'POST',
        '/api/ssl/provision',
        v.webroot ? { domain: v.domain, webroot: v.webroot } : { domain: v.domain },
      );
      close();
      ui.notify(`A certificate for ${v.domain} was issued.`, 'success');
      done();
    },
    ui.button('Cancel', { onClick: () => close() }),
  );
  close = ui.openDialog('Provision a certificate', f);
}

export const sslPage = ui.pluginPage({
  plugin: 'ssl',
  title: 'SSL certificates',
  nav: { label: 'SSL', icon: 'ssl', order: 30 },
  render(ctx) {
    const summary = ui.h('span');
    let domainNames: string[] = [];
    // Whether certificates can be ordered at all; when not, Provision is not offered and the page says why.
    const acme = ui.hasRoute('GET', '/api/ssl/acme')
      ? ui.api<{ ready: boolean; reason: string | null }>('GET', '/api/ssl/acme').catch(() => null)
      : Promise.resolve(null);
    const blocked = ui.h('div');
    void acme.then((a) => {
      if (!a || a.ready) return;
      blocked.append(
        ui.notice(
          'info',
          ctx.session.role === 'admin'
            ? `${a.reason}.`
            : 'Ask the server\u2019s administrator to set the panel\u2019s ACME email (acme_email).',
          'Certificates cannot be ordered yet',
        ),
      );
      if (provision) Object.assign(provision, { disabled: true, title: a.reason ?? '' });
    });
    const list = ui.asyncSection(async () => {
      const [certs, domains] = await Promise.all([
        ui.certificatesByDomain(),
        ui.pluginActive('domains')
          ? ui
              .api('GET', '/api/domains')
              .then((d) => ui.listOf<any>(d, 'domains').map((x) => String(x.domain_name)))
              .catch(() => [])
          : Promise.resolve([] as string[]),
      ]);
      domainNames = [...new Set([...domains, ...certs.keys()])].sort();
      const rows: Row[] = domainNames.map((domain) => ({ domain, cert: certs.get(domain) }));
      const orderable = (await acme)?.ready !== false;
      const days = [...certs.values()].map(ui.certDaysLeft);
      summary.replaceChildren(
        ui.badge(`${days.filter((d) => d !== null && d > 30).length} valid`, 'ok'),
        ' ',
        ui.badge(`${days.filter((d) => d !== null && d >= 0 && d <= 30).length} expiring`, 'warn'),
        ' ',
        ui.badge(`${days.filter((d) => d !== null && d < 0).length} expired`, 'danger'),
      );
      const actions = (r: Row) =>
        ui.rowActions(
          r.cert ? ui.button('Details', { small: true, onClick: () => void showDetails(r.domain) }) : null,
          r.cert
            ? ui.button('Renew', {
                small: true,
                onClick: async (e) => {
                  const b = e.currentTarget as HTMLButtonElement;
                  b.disabled = true;
                  try {
                    await renew(r.domain);
                    ui.notify(`The certificate of ${r.domain} was renewed.`, 'success');
                    void list.reload();
                  } catch (err) {
                    ui.notify(ui.describeError(err), 'error');
                  } finally {
                    b.disabled = false;
                  }
                },
              })
            : ui.button('Provision', {
                small: true,
                kind: 'primary',
                disabled: !orderable,
                title: orderable ? undefined : 'Certificates cannot be ordered yet: see above.',
                onClick: () => provisionDialog(domainNames, r.domain, () => void list.reload()),
              }),
          r.cert ? removeButton(r.domain, () => void list.reload()) : null,
          !r.cert && ui.hasRoute('POST', '/api/ssl/upload')
            ? ui.button('Upload', {
                small: true,
                onClick: () => uploadDialog(domainNames, r.domain, () => void list.reload()),
              })
            : null,
        );
      return ui.card(
        null,
        ui.dataTable<Row>(
          [
            { label: 'Domain', cell: (r) => ui.h('strong', { class: 'break' }, r.domain) },
            { label: 'State', cell: (r) => ui.certBadge(r.cert) },
            { label: 'Issuer', class: 'hide-md', cell: (r) => (r.cert ? ui.certIssuer(r.cert) : '—') },
            { label: 'Expires', class: 'nowrap', cell: (r) => (r.cert ? ui.formatDate(ui.certExpiry(r.cert)) : '—') },
            { label: 'Actions', class: 'col-actions', cell: actions },
          ],
          rows,
          { empty: 'No domains or certificates yet.', label: 'Certificates' },
        ),
        { class: 'card-flush' },
      );
    }, 'ssl');
    const provision = ui.hasRoute('POST', '/api/ssl/provision')
      ? ui.button('Provision', {
          kind: 'primary',
          icon: 'plus',
          onClick: () => provisionDialog(domainNames, null, () => void list.reload()),
        })
      : null;
    const autoRenew = ui.hasRoute('POST', '/api/ssl/auto-renew')
      ? ui.button('Renew all due', {
          icon: 'refresh',
          onClick: async (e) => {
            const b = e.currentTarget as HTMLButtonElement;
            b.disabled = true;
            try {
              const r = await ui.api<any>('POST', '/api/ssl/auto-renew');
              const line = (label: string, v: unknown) =>
                [label, ui.listOf<unknown>(v).map(itemText).join(', ') || 'none'] as [string, string];
              ui.openDialog(
                'Renewal finished',
                ui.definitionList([
                  line('Renewed', r?.renewed),
                  line('Skipped (not due)', r?.skipped),
                  line('Errors', r?.errors),
                ]),
              );
              void list.reload();
            } catch (err) {
              ui.notify(ui.describeError(err), 'error');
            } finally {
              b.disabled = false;
            }
          },
        })
      : null;
    const upload = uploadButton(
      () => domainNames,
      () => void list.reload(),
    );
    const panel = panelCertificateCard(ctx.session.role);
    ctx.root.append(ui.pageHeader('SSL certificates', summary, autoRenew, upload, provision), blocked, list);
    if (panel) ctx.root.append(panel);
  },
});
