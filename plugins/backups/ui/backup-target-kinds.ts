// The kinds of backup target the UI can set up, with the settings each one's API schema takes
// (plugins/backup-s3/config.ts, plugins/backup-sftp/config.ts). Field names are the API's, so a
// refused setting's message lands under its own field.
import type { FieldSpec } from '../../ui/client/kit.js';

/** A setting of a kind: `secret` ones are sent once and never shown back (the API never answers them). */
export type TargetField = FieldSpec & { secret?: boolean };

/** A yes/no setting, shown as a checkbox. */
export interface TargetFlag {
  name: string;
  label: string;
  hint: string;
  default: boolean;
}

/** A kind of target: its API type, the plugin providing it, its settings. */
export interface TargetKind {
  type: string;
  label: string;
  plugin: string | null;
  fields: TargetField[];
  flags: TargetFlag[];
}

/** A target as the admin's listing answers it (never a secret). */
export interface TargetInfo {
  id: string;
  type: string;
  name: string | null;
  source: 'builtin' | 'config' | 'api';
  available: boolean;
  reason: string | null;
  remote?: boolean;
  config?: Record<string, unknown>;
  last_test?: { at: string; ok: boolean; error: string | null } | null;
}

const SECRET = { type: 'password' as const, autocomplete: 'new-password', secret: true };

export const KINDS: TargetKind[] = [
  {
    type: 'local',
    label: 'Directory on this server',
    plugin: null,
    fields: [{ name: 'path', label: 'Directory', required: true, placeholder: '/srv/backups' }],
    flags: [],
  },
  {
    type: 's3',
    label: 'S3 bucket',
    plugin: 'backup-s3',
    fields: [
      { name: 'endpoint', label: 'Endpoint', placeholder: 'https://s3.example.com', hint: 'Empty for AWS.' },
      { name: 'region', label: 'Region', placeholder: 'us-east-1', hint: 'Empty: us-east-1.' },
      { name: 'bucket', label: 'Bucket', required: true },
      { name: 'prefix', label: 'Prefix', placeholder: 'panel/', hint: "A folder in the bucket, ending with '/'." },
      { name: 'access_key_id', label: 'Access key id', required: true },
      { name: 'secret_access_key', label: 'Secret access key', required: true, ...SECRET },
    ],
    flags: [
      {
        name: 'force_path_style',
        label: 'Path-style URLs',
        hint: 'endpoint/bucket/… rather than bucket.endpoint/… (most S3-compatible services need it).',
        default: true,
      },
    ],
  },
  {
    type: 'sftp',
    label: 'SFTP server',
    plugin: 'backup-sftp',
    fields: [
      { name: 'host', label: 'Host', required: true },
      { name: 'port', label: 'Port', type: 'number', placeholder: '22', hint: 'Empty: 22.' },
      { name: 'username', label: 'Login', required: true },
      {
        name: 'host_key',
        label: 'Host key',
        required: true,
        placeholder: 'ssh-ed25519 AAAA… or SHA256:…',
        hint: 'As in known_hosts, so the panel talks only to that server.',
      },
      { name: 'path', label: 'Directory', placeholder: 'backups', hint: 'Empty: backups (in the login’s home).' },
      { name: 'password', label: 'Password', hint: 'A password or a private key.', ...SECRET },
      {
        name: 'private_key',
        label: 'Private key',
        type: 'textarea',
        placeholder: '-----BEGIN OPENSSH PRIVATE KEY-----',
        secret: true,
      },
      { name: 'passphrase', label: 'Key passphrase', ...SECRET },
    ],
    flags: [],
  },
];

/** Where a target keeps its backups, in one line (from its public settings). */
export function whereOf(t: TargetInfo): string {
  const c = t.config;
  if (!c) return t.type === 'local' ? 'this server' : '—';
  if (t.type === 's3') return `s3://${c.bucket ?? '?'}/${c.prefix ?? ''}${c.endpoint ? ` at ${c.endpoint}` : ''}`;
  if (t.type === 'sftp') return `${c.username ?? '?'}@${c.host ?? '?'}:${c.port ?? 22} ${c.path ?? ''}`;
  return String(c.path ?? c.bucket ?? c.host ?? (t.type === 'local' ? 'this server' : '—'));
}
