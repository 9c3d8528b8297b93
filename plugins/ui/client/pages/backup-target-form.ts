// Adding a backup target (admin): a local directory, an S3 bucket or an SFTP server. Only the
// kinds whose plugin is active are offered; secrets go to the API once and are never shown again.
import { api } from '../base/api.js';
import { pluginActive } from '../base/capabilities.js';
import { h, mount } from '../base/dom.js';
import { openDialog } from '../components/dialog.js';
import { field, form, type FieldSpec } from '../components/form.js';
import { button } from '../components/page.js';
import { notify } from '../components/toast.js';

const KINDS: { type: string; label: string; plugin: string | null; fields: FieldSpec[] }[] = [
  {
    type: 'local',
    label: 'Directory on this server',
    plugin: null,
    fields: [{ name: 'path', label: 'Directory', required: true, placeholder: '/srv/backups' }],
  },
  {
    type: 's3',
    label: 'S3 bucket',
    plugin: 'backup-s3',
    fields: [
      { name: 'bucket', label: 'Bucket', required: true },
      { name: 'region', label: 'Region', value: 'us-east-1', plain: true },
      { name: 'endpoint', label: 'Endpoint', placeholder: 'https://s3.example.com', hint: 'Empty for AWS.' },
      { name: 'prefix', label: 'Folder in the bucket', placeholder: 'panel/' },
      { name: 'access_key_id', label: 'Access key id', required: true },
      {
        name: 'secret_access_key',
        label: 'Secret access key',
        type: 'password',
        required: true,
        autocomplete: 'new-password',
      },
    ],
  },
  {
    type: 'sftp',
    label: 'SFTP server',
    plugin: 'backup-sftp',
    fields: [
      { name: 'host', label: 'Host', required: true },
      { name: 'port', label: 'Port', type: 'number', value: '22', plain: true },
      { name: 'username', label: 'Login', required: true },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password' },
      {
        name: 'host_key',
        label: 'Host key',
        required: true,
        placeholder: 'ssh-ed25519 AAAA… or SHA256:…',
        hint: 'As in known_hosts, so the panel talks only to that server.',
      },
      { name: 'path', label: 'Directory', value: 'backups', plain: true },
    ],
  },
];

/** Open the dialog; `added` runs once the target exists. */
export function addTargetDialog(added: () => void): void {
  const kinds = KINDS.filter((k) => k.plugin === null || pluginActive(k.plugin));
  let close = () => undefined as void;
  const specific = h('div', { class: 'form-grid' });
  const type = field({
    name: 'type',
    label: 'Kind',
    type: 'select',
    options: kinds.map((k) => ({ value: k.type, label: k.label })),
    value: 'local',
    plain: true,
  });
  const show = (t: string) => mount(specific, (kinds.find((k) => k.type === t) ?? kinds[0]!).fields.map(field));
  type.querySelector('select')!.addEventListener('change', (e) => show((e.target as HTMLSelectElement).value));
  show('local');
  const f = form(
    [
      h(
        'div',
        { class: 'form-grid' },
        field({
          name: 'id',
          label: 'Name',
          required: true,
          maxlength: 40,
          placeholder: 'offsite',
          hint: 'Lowercase letters, digits, - or _.',
        }),
        type,
      ),
      specific,
    ],
    'Add target',
    async (v) => {
      const kind = kinds.find((k) => k.type === v.type) ?? kinds[0]!;
      const config: Record<string, unknown> = {};
      for (const spec of kind.fields) {
        const value = (v[spec.name] ?? '').trim();
        if (value !== '') config[spec.name] = spec.type === 'number' ? Number(value) : value;
      }
      await api('POST', '/api/backups/targets', { id: v.id?.trim(), type: kind.type, config });
      close();
      notify(`Backup target ${v.id} was added. Test its connection before relying on it.`, 'success');
      added();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog('Add a backup target', f, { wide: true });
}
