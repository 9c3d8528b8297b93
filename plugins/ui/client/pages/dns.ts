// DNS zones: the zones the caller may see, and per zone a record editor (add, edit, delete an
// RRset) whose validation messages appear next to the field the API names.
import { api, describeError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import { formatDate } from '../base/format.js';
import { asyncSection } from '../components/async-section.js';
import { confirmAction, openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { badge, button, card, pageHeader } from '../components/page.js';
import { dataTable, rowActions } from '../components/table.js';
import { notify } from '../components/toast.js';
import { EVERYONE, type PageDef } from '../shell/types.js';

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
  control.after(h('p', { class: 'field-error', id, role: 'alert' }, text));
  control.focus();
  return true;
}

/** Add (no `rr`) or edit one RRset; records one per line. */
function recordDialog(zone: string, rr: RRset | null, done: () => void): void {
  let close = () => undefined as void;
  const f = form(
    [
      h(
        'div',
        { class: 'form-grid' },
        field({
          name: 'name',
          label: 'Name',
          value: rr?.relative ?? '',
          placeholder: '@ for the zone itself, or www',
          hint: `Relative to ${zone}.`,
          plain: true,
        }),
        field({
          name: 'type',
          label: 'Type',
          type: 'select',
          required: true,
          value: rr?.type ?? 'A',
          options: TYPES.map((t) => ({ value: t, label: t })),
        }),
        field({
          name: 'ttl',
          label: 'TTL (seconds)',
          type: 'number',
          value: rr ? String(rr.ttl) : '',
          placeholder: '3600',
        }),
      ),
      field({
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
        await api('PUT', `${zonePath(zone)}/records`, body);
      } catch (e) {
        if (showFieldError(el, describeError(e))) return;
        throw e;
      }
      close();
      notify(`${body.type} ${body.name || '@'} saved.`, 'success');
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  if (rr) for (const n of ['name', 'type']) (f.querySelector(`[name=${n}]`) as HTMLInputElement).disabled = true;
  if (rr)
    f.append(
      h('input', { type: 'hidden', name: 'name', value: rr.relative }),
      h('input', { type: 'hidden', name: 'type', value: rr.type }),
    );
  close = openDialog(rr ? `Edit ${rr.type} ${rr.relative}` : `Add a record to ${zone}`, f, { wide: true });
}

function zoneEditor(zone: string, back: () => void): HTMLElement[] {
  const dnssec = h('span');
  const list = asyncSection(async () => {
    const z = await api<ZoneView>('GET', zonePath(zone));
    dnssec.replaceChildren(z.dnssec?.signed ? badge('DNSSEC signed', 'ok') : badge('unsigned', 'muted'));
    const editable = (r: RRset) => TYPES.includes(r.type) && !(r.type === 'NS' && r.name === zone);
    const del = (r: RRset) =>
      button('Delete', {
        small: true,
        kind: 'danger',
        onClick: async () => {
          if (
            !(await confirmAction({
              title: 'Delete records',
              message: `Delete every ${r.type} record of ${r.relative}?`,
              confirmLabel: 'Delete',
              danger: true,
            }))
          )
            return;
          try {
            await api('DELETE', `${zonePath(zone)}/records/${encodeURIComponent(r.relative)}/${r.type}`);
            void list.reload();
          } catch (e) {
            notify(describeError(e), 'error');
          }
        },
      });
    const table = dataTable<RRset>(
      [
        { label: 'Name', cell: (r) => h('strong', { class: 'break' }, r.relative) },
        { label: 'Type', cell: (r) => r.type },
        { label: 'TTL', class: 'num hide-sm', cell: (r) => String(r.ttl) },
        {
          label: 'Records',
          cell: (r) =>
            h(
              'div',
              { class: 'wrap-any' },
              r.records.map((x) => h('div', null, x)),
            ),
        },
        {
          label: 'Actions',
          class: 'col-actions',
          cell: (r) =>
            editable(r)
              ? rowActions(
                  button('Edit', { small: true, onClick: () => recordDialog(zone, r, () => void list.reload()) }),
                  del(r),
                )
              : null,
        },
      ],
      z.rrsets,
      { empty: 'This zone has no records.', label: `Records of ${zone}` },
    );
    const ds = z.dnssec?.signed
      ? card('DS records to publish at the registrar', h('pre', { class: 'wrap-any' }, z.dnssec.ds.join('\n')))
      : null;
    return h('div', null, card(null, table, { class: 'card-flush' }), ds);
  }, 'dns');
  const add = button('Add record', {
    kind: 'primary',
    icon: 'plus',
    onClick: () => recordDialog(zone, null, () => void list.reload()),
  });
  const sign = button('DNSSEC', {
    icon: 'shield',
    onClick: async () => {
      try {
        const now = await api<ZoneView>('GET', zonePath(zone));
        await api('PUT', `${zonePath(zone)}/dnssec`, { enabled: !now.dnssec?.signed });
        void list.reload();
      } catch (e) {
        notify(describeError(e), 'error');
      }
    },
  });
  return [pageHeader(`DNS zone ${zone}`, dnssec, button('All zones', { onClick: back }), sign, add), list];
}

export const dnsPage: PageDef = {
  path: '/dns',
  title: 'DNS zones',
  roles: EVERYONE,
  plugin: 'dns',
  nav: { label: 'DNS', icon: 'domains', section: 'hosting', order: 25 },
  render(ctx) {
    const zone = ctx.query.get('zone');
    if (zone) return void ctx.root.append(...zoneEditor(zone, () => ctx.navigate('/dns')));
    const list = asyncSection(async () => {
      const zones = await api<Zone[]>('GET', '/api/dns/zones');
      return card(
        null,
        dataTable<Zone>(
          [
            { label: 'Zone', cell: (z) => h('strong', { class: 'break' }, z.zone) },
            { label: 'Account', class: 'num hide-sm', cell: (z) => String(z.account_id) },
            { label: 'Created', class: 'nowrap hide-md', cell: (z) => formatDate(z.created_at) },
            {
              label: 'Actions',
              class: 'col-actions',
              cell: (z) =>
                rowActions(
                  button('Records', {
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
    const reconcile =
      hasRoute('POST', '/api/dns/reconcile') && ctx.session.role === 'admin'
        ? button('Reconcile', {
            icon: 'refresh',
            onClick: async () => {
              try {
                await api('POST', '/api/dns/reconcile');
                notify('Zones reconciled with the DNS server.', 'success');
                void list.reload();
              } catch (e) {
                notify(describeError(e), 'error');
              }
            },
          })
        : null;
    ctx.root.append(pageHeader('DNS zones', null, reconcile), list);
  },
};
