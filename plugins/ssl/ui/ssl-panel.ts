// The panel's own HTTPS certificate (admin): the host name it is for, whether the panel orders it
// itself (panel_certificate = "acme"), the certificate it serves, and "Order now" with the
// order's job followed live.
import * as ui from '../../ui/client/kit.js';

const PANEL = '/api/ssl/panel-certificate';

interface PanelCertificate {
  mode: 'off' | 'acme';
  host: string;
  certificate: { subject: string; issuer: string; sans: string[]; valid_to: string } | null;
}

/** POST the order, following the job it starts while the request runs. */
async function order(host: HTMLElement): Promise<void> {
  const bar = ui.progressBar('Ordering the panel certificate');
  host.replaceChildren(bar.el);
  const started = Date.now();
  let finished = false;
  const request = ui.api('POST', PANEL).finally(() => (finished = true));
  void ui
    .findRunningJob('ssl', started, () => finished)
    .then((job) => job && ui.followJob(job.id, (j) => !finished && bar.set(j.progress, j.message)));
  try {
    await request;
    bar.done(true, 'The panel certificate was installed.');
  } catch (e) {
    bar.done(false, ui.describeError(e));
    throw e;
  }
}

function body(p: PanelCertificate, reload: () => void): HTMLElement {
  const c = p.certificate;
  const progress = ui.h('div');
  const orderButton =
    p.mode === 'acme' && ui.hasRoute('POST', PANEL)
      ? ui.button(c ? 'Renew now' : 'Order now', {
          small: true,
          onClick: async (e) => {
            const b = e.currentTarget as HTMLButtonElement;
            b.disabled = true;
            try {
              await order(progress);
              ui.notify('The panel certificate was installed.', 'success');
              reload();
            } catch (err) {
              ui.notify(ui.describeError(err), 'error');
            } finally {
              b.disabled = false;
            }
          },
        })
      : null;
  return ui.h(
    'div',
    null,
    ui.definitionList([
      ['Host name', ui.h('span', { class: 'break' }, p.host)],
      [
        'Managed here',
        p.mode === 'acme'
          ? 'yes: the panel orders and renews it from Let\u2019s Encrypt'
          : 'no: set [plugins.ssl] panel_certificate = "acme" to have the panel order it',
      ],
      ['Certificate', c ? ui.h('span', { class: 'wrap-any' }, c.sans.join(', ') || c.subject) : 'none stored'],
      ['Issuer', c ? c.issuer : '—'],
      ['Valid until', c ? ui.formatDate(c.valid_to) : '—'],
    ]),
    progress,
    orderButton ? ui.h('div', { class: 'form-actions' }, orderButton) : null,
  );
}

/** The card, for an admin on a panel with the route; null otherwise. */
export function panelCertificateCard(role: string): HTMLElement | null {
  if (role !== 'admin' || !ui.hasRoute('GET', PANEL)) return null;
  const section: ReturnType<typeof ui.asyncSection> = ui.asyncSection(
    async () => body(await ui.api<PanelCertificate>('GET', PANEL), () => void section.reload()),
    'ssl',
  );
  return ui.card('Panel certificate', section);
}
