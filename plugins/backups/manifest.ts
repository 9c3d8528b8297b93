import path from 'node:path';
import { compileValidator, CREDENTIAL_HASH_PATTERN, errors, Type, type Static } from '../../sdk/index.js';

const PRINTABLE = '^[^\\x00-\\x1f\\x7f]*$';
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', 'x-error': 'must be a SHA-256 in hex' });
const Count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Fqdn = Type.String({
  maxLength: 253,
  pattern: '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}$',
  'x-error': 'must be a lowercase domain name',
});
const Identifier = Type.String({
  pattern: '^[A-Za-z0-9_]{1,80}$',
  'x-error': 'must be 1–80 letters, digits or underscores',
});
const HomeRelative = Type.String({
  maxLength: 4096,
  pattern: '^/[^\\x00-\\x1f\\x7f]*$',
  'x-error': 'must be a path inside the home starting with /',
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Manifest of a backup archive (`manifest.json`, the archive's last entry). */
export const ManifestSchema = Type.Object({
  format: Type.Literal('velopanel-backup', { 'x-error': "must be 'velopanel-backup'" }),
  format_version: Type.Literal(1, { 'x-error': 'must be 1 (this panel reads version 1)' }),
  panel_version: Type.String({ maxLength: 40, pattern: PRINTABLE }),
  created_at: Type.String({
    pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$',
    'x-error': 'must be an ISO time in UTC',
  }),
  server_hostname: Type.String({ maxLength: 253, pattern: PRINTABLE }),
  account: Type.Object({
    id: Type.Integer({ minimum: 1 }),
    username: Type.String({
      pattern: '^[a-z][a-z0-9]{2,15}$',
      'x-error': 'must be 3–16 lowercase letters and digits, starting with a letter',
    }),
    primary_domain: Fqdn,
    email: Type.String({
      maxLength: 254,
      pattern: '^[^\\s@<>"\'`;\\\\]{1,64}@[A-Za-z0-9.-]{1,253}$',
      'x-error': 'must be an email address',
    }),
    plan: Type.String({ pattern: '^[a-z][a-z0-9_-]{1,15}$', 'x-error': 'must be a plan name' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]),
    home_dir: Type.String({ maxLength: 4096, pattern: '^/[^\\x00-\\x1f\\x7f]*$' }),
    uid: Nullable(Type.Integer({ minimum: 0 })),
    gid: Nullable(Type.Integer({ minimum: 0 })),
    disk_quota_mb: Count,
    bandwidth_quota_mb: Count,
    reseller_id: Nullable(Type.Integer({ minimum: 1 })),
    created_at: Type.String({ maxLength: 40, pattern: '^[0-9T:. Z+-]*$' }),
    // The account's never-reused identity; absent from archives made before it existed.
    identity: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{32}$', 'x-error': 'must be an account identity (32 hex digits)' }),
    ),
  }),
  domains: Type.Array(
    Type.Object({
      domain_name: Fqdn,
      domain_type: Type.Union([
        Type.Literal('primary'),
        Type.Literal('addon'),
        Type.Literal('subdomain'),
        Type.Literal('alias'),
      ]),
      document_root: Nullable(HomeRelative),
      alias_of: Nullable(Fqdn),
    }),
    { maxItems: 10000 },
  ),
  settings: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_-]{0,39}$' }), Type.Unknown(), { maxProperties: 50 }),
  files: Type.Object({
    entries: Count,
    bytes: Count,
    content_bytes: Count,
    sha256: Sha256,
    skipped: Type.Array(
      Type.Object({ path: Type.String({ maxLength: 4096 }), reason: Type.String({ maxLength: 300 }) }),
      { maxItems: 100 },
    ),
    skipped_count: Count,
  }),
  databases: Type.Array(
    Type.Object({
      engine: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', 'x-error': 'must be an engine id' }),
      database: Identifier,
      user: Identifier,
      chunks: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
      bytes: Count,
      sha256: Sha256,
      credential: Type.Optional(
        Type.Object({
          method: Type.String({ pattern: '^[a-z0-9_-]{1,40}$', 'x-error': 'must be an authentication method name' }),
          hash: Type.String({
            pattern: CREDENTIAL_HASH_PATTERN,
            'x-error': 'must be a password verifier (letters, digits and * $ : + / = . - only)',
          }),
        }),
      ),
      credential_missing: Type.Optional(Type.String({ maxLength: 300, pattern: PRINTABLE })),
    }),
    { maxItems: 1000 },
  ),
  warnings: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 100 }),
  // The panel's signature of everything above (see signing.ts); absent from older or foreign archives.
  signature: Type.Optional(
    Type.Object({
      alg: Type.Literal('hmac-sha256', { 'x-error': "must be 'hmac-sha256'" }),
      key_id: Type.String({ pattern: '^[0-9a-f]{16}$', 'x-error': 'must be a key id (16 hex digits)' }),
      value: Type.String({ pattern: '^[0-9a-f]{64}$', 'x-error': 'must be an HMAC-SHA-256 in hex' }),
    }),
  ),
});

/** A backup manifest. */
export type Manifest = Static<typeof ManifestSchema>;
/** A database part as the manifest lists it. */
export type ManifestDatabase = Manifest['databases'][number];

/** Longest manifest accepted (it is read into memory). */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

const validator = compileValidator<Manifest>(ManifestSchema, { where: 'manifest' });

/** Tar name of one chunk of a database dump: `databases/<engine>/<database>.sql.000001`. */
export function dumpChunkName(engine: string, database: string, index: number): string {
  return `databases/${engine}/${database}.sql.${String(index).padStart(6, '0')}`;
}

/**
 * Parse and validate a manifest read from an archive, like API input (closed objects, patterns),
 * plus the rules no schema can say: databases named for the account, home paths without `..`,
 * nothing listed twice. Throws a 400 naming the field.
 */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw errors.validation('manifest: is not valid JSON');
  }
  let m: Manifest;
  try {
    m = validator.parse(json);
  } catch (e) {
    throw errors.validation(`manifest: ${(e as Error).message}`);
  }
  // Absolute link targets are judged against this path: it must be a home of this account.
  const home = m.account.home_dir;
  if (
    path.posix.normalize(home) !== home ||
    path.posix.basename(home) !== m.account.username ||
    path.posix.dirname(home) === home
  )
    throw errors.validation(
      `manifest: account.home_dir: must be a normalised home path ending in /${m.account.username}`,
    );
  const prefix = `${m.account.username}_`;
  const seen = new Set<string>();
  m.databases.forEach((d, i) => {
    if (!d.database.startsWith(prefix) || !d.user.startsWith(prefix))
      throw errors.validation(
        `manifest: databases.${i}: database and user must be named ${prefix}… (they belong to ${m.account.username})`,
      );
    if (seen.has(d.database)) throw errors.validation(`manifest: databases.${i}: ${d.database} is listed twice`);
    seen.add(d.database);
  });
  m.domains.forEach((d, i) => {
    if (d.document_root && d.document_root.split('/').some((c) => c === '..'))
      throw errors.validation(`manifest: domains.${i}.document_root: must not contain '..'`);
  });
  return m;
}
