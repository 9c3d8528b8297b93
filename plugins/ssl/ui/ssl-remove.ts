// Stop serving a domain's certificate and delete it (after a confirmation): the site then answers
// on plain HTTP only until a certificate is provisioned or uploaded again.
import * as ui from '../../ui/client/kit.js';

const REMOVE = '/api/ssl/certificate/{domain}';

/** The row action "Remove" of a domain with a certificate; null without the route. */
export function removeButton(domain: string, done: () => void): HTMLButtonElement | null {
  if (!ui.hasRoute('DELETE', REMOVE)) return null;
  return ui.button('Remove', {
    small: true,
    kind: 'danger',
    onClick: async () => {
      const ok = await ui.confirmAction({
        title: 'Remove certificate',
        danger: true,
        confirmLabel: 'Remove certificate',
        message: [
          ui.h('p', null, 'Remove the certificate of ', ui.h('strong', null, domain), '?'),
          ui.h('p', null, 'The site stops answering on HTTPS until a certificate is provisioned or uploaded again.'),
        ],
      });
      if (!ok) return;
      try {
        await ui.api('DELETE', `/api/ssl/certificate/${encodeURIComponent(domain)}`);
        ui.notify(`The certificate of ${domain} was removed.`, 'success');
        done();
      } catch (e) {
        ui.notify(ui.describeError(e), 'error');
      }
    },
  });
}
