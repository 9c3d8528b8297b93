import { Type, type Static } from '../../sdk/index.js';

/** Settings of an S3 target (`secret_access_key` is the secret). */
export const S3TargetSchema = Type.Object({
  endpoint: Type.String({
    default: '',
    maxLength: 500,
    pattern: '^(https?://[A-Za-z0-9.:\\[\\]_-]+(/[A-Za-z0-9._~/-]*)?)?$',
    'x-error': 'must be an http(s) URL of an S3-compatible service (empty: AWS)',
  }),
  region: Type.String({
    default: 'us-east-1',
    pattern: '^[a-z0-9-]{1,40}$',
    'x-error': 'must be a region name like us-east-1',
  }),
  bucket: Type.String({
    pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    'x-error': 'must be a bucket name (3–63 lowercase letters, digits, dots, dashes)',
  }),
  prefix: Type.String({
    default: '',
    maxLength: 500,
    pattern: '^([A-Za-z0-9_-][A-Za-z0-9._-]*/)*$',
    'x-error': "must be empty or folder names ending with '/'",
  }),
  access_key_id: Type.String({ pattern: '^[A-Za-z0-9/+=_-]{1,128}$', 'x-error': 'must be an access key id' }),
  secret_access_key: Type.String({
    minLength: 1,
    maxLength: 256,
    pattern: '^[^\\x00-\\x1f\\x7f]+$',
    'x-error': 'must be the secret access key',
  }),
  force_path_style: Type.Boolean({ default: true }),
  part_size_mb: Type.Integer({
    default: 8,
    minimum: 5,
    maximum: 512,
    'x-error': 'must be 5–512 (MiB per multipart part)',
  }),
});

/** Validated S3 target settings. */
export type S3TargetConfig = Static<typeof S3TargetSchema>;
