// DNS zones: the zones the caller may see, and per zone a record editor (add, edit, delete an
// RRset) whose validation messages appear next to the field the API names; for the admin, the
// DNS server's state and the last reconciliation.
import * as ui from '../../ui/client/kit.js';
import { dnsStatusCard } from './dns-status.js';

interface Zone {
  zone: string;
  account_id: number;
  created_at: string;
}
interface RRset {
  name: string;
  relative: string;
  type: string;
  ttl: number;
  records: string[];
}
interface ZoneView {
  zone: string;
  rrsets: RRset[];
  dnssec: { signed: boolean; ds: string[] } | null;
}

const TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA', 'NS'];
const FIELDS = ['name', 'type', 'ttl', 'records'];
const zonePath = (zone: string) => `/api/dns/zones/${encodeURIComponent(zone)}`;

/**
 * Put the API's `<field>: <message>` under that field (`records[2]` goes to the records box);
 * returns false when the message names no field of the form, so the form shows it instead.
 */
function showFieldError(f: HTMLFormElement, message: string): boolean {
  for (const el of f.querySelectorAll('.field-error')) el.remove();
  for (const el of f.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const m = /^([a-z]+)(?:\[(\d+)\]|\.\d+)?: (.+)$/s.exec(message);
  if (!m || !FIELDS.includes(m[1]!)) return false;
  const control = f.querySelector(`[name=${m[1]}]`) as HTMLElement | null;
  if (!control) return false;
  const id = `${control.id}-error`;
  const text = m[2] === undefined ? m[3]! : `Line ${Number(m[2]) + 1}: ${m[3]}`;
  control.setAttribute('aria-invalid', 'true');
  control.setAttribute('aria-errormessage', id);
  control.after(ui.h('p', { class: 'field-error', id, role: 'alert' }, text));
  control.focus();
  return true;
}

/** Add (no `rr`) or edit one RRset; records one per line. */
function recordDialog(zone: string, rr: RRset | null, done: () => void): void {
  let close = () => undefined as void;
  const f = ui.form(
    [
      ui.h(
        'div',
        { class: 'form-grid' },
        ui.field({
          name: 'name',
          label: 'Name',
          value: rr?.relative ?? '',
          placeholder: '@ for the zone itself, or www',
          hint: `Relative to ${zone}.`,
          plain: true,
        }),
        ui.field({
          name: 'type',
          label: 'Type',
          type: 'select',
          required: true,
          value: rr?.type ?? 'A',
          options: TYPES.map((t) => ({ value: t, label: t })),
        }),
        ui.field({
          name: 'ttl',
          label: 'TTL (seconds)',
          type: 'number',
          value: rr ? String(rr.ttl) : '',
          placeholder: '3600',
        }),
      ),
      ui.field({
        name: 'records',
        label: 'Records',
        type: 'textarea',
        required: true,
        value: rr?.records.join('\n') ?? '',
        hint: 'One record a line, e.g. 192.0.2.10, or 10 mail.example.com for MX. TXT as plain text (long values are split for you).',
      }),
    ],
    rr ? 'Save' : 'Add record',
    async (v, el) => {
      const body = {
        name: v.name ?? '',
        type: v.type,
        records: (v.records ?? '')
          .split('\n')
          .map((l) => l.replace(/\r$/, ''))
          .filter((l) => l.trim()),
        ...(v.ttl ? { ttl: Number(v.ttl) } : {}),
      };
      try {
        await ui.api('PUT', `${zonePath(zone)}/records`, body);
      } catch (e) {
        if (showFieldError(el, ui.describeError(e))) return;
        throw e;
      }
      close();
      ui.notify(`${body.type} ${body.name || '@'} saved.`, 'success');
      done();
    },
    ui.button('Cancel', { onClick: () => close() }),
  );
  if (rr) for (const n of ['name', 'type']) (f.querySelector(`[name=${n}]`) as HTMLInputElement).disabled = true;
  if (rr)
    f.append(
      ui.h('input', { type: 'hidden', name: 'name', value: rr.relative }),
      ui.h('input', { type: 'hidden', name: 'type', value: rr.type }),
    );
  close = ui.openDialog(rr ? `Edit ${rr.type} ${rr.relative}` : `Add a record to ${zone}`, f, { wide: true });
}

function zoneEditor(zone: string, back: () => void): HTMLElement[] {
  const dnssec = ui.h('span');
  const list = ui.asyncSection(async () => {
    const z = await ui.api<ZoneView>('GET', zonePath(zone));
    dnssec.replaceChildren(z.dnssec?.signed ? ui.badge('DNSSEC signed', 'ok') : ui.badge('unsigned', 'muted'));
    const editable = (r: RRset) => TYPES.includes(r.type) && !(r.type === 'NS' && r.name === zone);
    const del = (r: RRset) =>
      ui.confirmButton(
        'Delete',
        {
          title: 'Delete records',
          message: `Delete every ${r.type} record of ${r.relative}?`,
          confirmLabel: 'Delete',
        },
        async () => {
          await ui.api('DELETE', `${zonePath(zone)}/records/${encodeURIComponent(r.relative)}/${r.type}`);
          void list.reload();
        },
      );
    const table = ui.dataTable<RRset>(
      [
        { label: 'Name', cell: (r) => ui.h('strong', { class: 'break' }, r.relative) },
        { label: 'Type', cell: (r) => r.type },
        { label: 'TTL', class: 'num hide-sm', cell: (r) => String(r.ttl) },
        {
          label: 'Records',
          cell: (r) =>
            ui.h(
              'div',
              { class: 'wrap-any' },
              r.records.map((x) => ui.h('div', null, x)),
            ),
        },
        {
          label: 'Actions',
          class: 'col-actions',
          cell: (r) =>
            editable(r)
              ? ui.rowActions(
                  ui.button('Edit', { small: true, onClick: () => recordDialog(zone, r, () => void list.reload()) }),
                  del(r),
                )
              : null,
        },
      ],
      z.rrsets,
      { empty: 'This zone has no records.', label: `Records of ${zone}` },
    );
    const ds = z.dnssec?.signed
      ? ui.card('DS records to publish at the registrar', ui.h('pre', { class: 'wrap-any' }, z.dnssec.ds.join('\n')))
      : null;
    return ui.h('div', null, ui.card(null, table, { class: 'card-flush' }), ds);
  }, 'dns');
  const add = ui.button('Add record', {
    kind: 'primary',
    icon: 'plus',
    onClick: () => recordDialog(zone, null, () => void list.reload()),
  });
  const sign = ui.button('DNSSEC', {
    icon: 'shield',
    onClick: async () => {
      try {
        const now = await ui.api<ZoneView>('GET', zonePath(zone));
        await ui.api('PUT', `${zonePath(zone)}/dnssec`, { enabled: !now.dnssec?.signed });
        void list.reload();
      } catch (e) {
        ui.notify(ui.describeError(e), 'error');
      }
    },
  });
  return [ui.pageHeader(`DNS zone ${zone}`, dnssec, ui.button('All zones', { onClick: back }), sign, add), list];
}

export const dnsPage = ui.pluginPage({
  plugin: 'dns',
  title: 'DNS zones',
  nav: { label: 'DNS', icon: 'domains', order: 25 },
  render(ctx) {
    const zone = ctx.query.get('zone');
    if (zone) return void ctx.root.append(...zoneEditor(zone, () => ctx.navigate('/dns')));
    const list = ui.asyncSection(async () => {
      const zones = await ui.api<Zone[]>('GET', '/api/dns/zones');
      return ui.card(
        null,
        ui.dataTable<Zone>(
          [
            { label: 'Zone', cell: (z) => ui.h('strong', { class: 'break' }, z.zone) },
            { label: 'Account', class: 'num hide-sm', cell: (z) => String(z.account_id) },
            { label: 'Created', class: 'nowrap hide-md', cell: (z) => ui.formatDate(z.created_at) },
            {
              label: 'Actions',
              class: 'col-actions',
              cell: (z) =>
                ui.rowActions(
                  ui.button('Records', {
                    small: true,
                    onClick: () => ctx.navigate(`/dns?zone=${encodeURIComponent(z.zone)}`),
                  }),
                ),
            },
          ],
          zones,
          { empty: 'No zones yet: a domain gets one when it is added.', label: 'DNS zones' },
        ),
        { class: 'card-flush' },
      );
    }, 'dns');
    const status = dnsStatusCard(ctx.session.role);
    const reconcile =
      ui.hasRoute('POST', '/api/dns/reconcile') && ctx.session.role === 'admin'
        ? ui.button('Reconcile', {
            icon: 'refresh',
            onClick: async () => {
              try {
                await ui.api('POST', '/api/dns/reconcile');
                ui.notify('Zones reconciled with the DNS server.', 'success');
                void list.reload();
                void status?.reload();
              } catch (e) {
                ui.notify(ui.describeError(e), 'error');
              }
            },
          })
        : null;
    ctx.root.append(ui.pageHeader('DNS zones', null, reconcile), list);
    if (status) ctx.root.append(status);
  },
});
