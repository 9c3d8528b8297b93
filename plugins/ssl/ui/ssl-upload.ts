// Install a certificate bought elsewhere (or an organisation's own CA's): its PEM certificate,
// private key and optional chain, pasted or read from files. The panel checks that the key matches
// and the names cover the domain; its refusal shows under the field it names.
import * as ui from '../../ui/client/kit.js';

const UPLOAD = '/api/ssl/upload';

/** A PEM textarea with a file picker filling it (a .pem/.crt/.key file is plain text). */
function pemField(name: string, label: string, required: boolean, hint: string): HTMLElement {
  const box = ui.field({ name, label, type: 'textarea', required, hint, placeholder: '-----BEGIN …-----' });
  const area = box.querySelector('textarea')!;
  const pick = ui.h('input', {
    type: 'file',
    accept: '.pem,.crt,.cer,.key,.txt',
    'aria-label': `${label} from a file`,
    class: 'pem-file',
  });
  pick.addEventListener('change', () => {
    const f = pick.files?.[0];
    if (f) void f.text().then((t) => (area.value = t));
  });
  box.append(pick);
  return box;
}

/** The domain a dialog is about: a choice of `domains` (`preset` first), or a name to type when there are none. */
export function domainField(domains: string[], preset: string | null): HTMLElement {
  return domains.length
    ? ui.field({
        name: 'domain',
        label: 'Domain',
        type: 'select',
        required: true,
        options: domains.map((d) => ({ value: d, label: d })),
        value: preset ?? domains[0],
      })
    : ui.field({ name: 'domain', label: 'Domain', required: true, placeholder: 'example.com' });
}

/** Open the upload dialog; `domains` are the names offered, `preset` the one chosen first. */
export function uploadDialog(domains: string[], preset: string | null, done: () => void): void {
  ui.formDialog(
    'Upload a certificate',
    [
      domainField(domains, preset),
      pemField('certificate', 'Certificate', true, 'The PEM certificate issued for the domain.'),
      pemField(
        'private_key',
        'Private key',
        true,
        'Its unencrypted PEM private key; stored readable by the panel only.',
      ),
      pemField('chain', 'Chain', false, 'The issuer\u2019s intermediate certificates, if the CA gave any.'),
    ],
    'Upload certificate',
    async (v, close) => {
      const body: Record<string, string> = {
        domain: v.domain ?? '',
        certificate: v.certificate ?? '',
        private_key: v.private_key ?? '',
      };
      if (v.chain?.trim()) body.chain = v.chain;
      await ui.api('POST', UPLOAD, body);
      close();
      ui.notify(`The certificate of ${v.domain} was installed.`, 'success');
      done();
    },
    { wide: true },
  );
}

/** The header's "Upload" button; null where the API has no upload route. */
export function uploadButton(domains: () => string[], done: () => void): HTMLButtonElement | null {
  if (!ui.hasRoute('POST', UPLOAD)) return null;
  return ui.button('Upload', { icon: 'upload', onClick: () => uploadDialog(domains(), null, done) });
}
