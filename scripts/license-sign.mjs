#!/usr/bin/env node
// Vendor tool: make a licence signing key pair, or sign a licence. The production private key
// lives outside this repository (this tool refuses one inside it); only test-* keys may be here.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compactVerify, importPKCS8, importSPKI, SignJWT } from 'jose';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keysDir = path.join(root, 'config', 'licence-keys');
const USAGE = `usage:
  license-sign.mjs keygen --kid <kid> --private-key <file outside the repository>
  license-sign.mjs sign --kid <kid> --private-key <file> --customer <name> --tier community|pro|business
      [--days 365 | --expires YYYY-MM-DD] [--not-before YYYY-MM-DD] [--grace-days 14]
      [--max-accounts N|unlimited] [--max-domains N|unlimited] [--feature name]... [--out file]`;

function fail(msg) {
  process.stderr.write(`license-sign: ${msg}\n`);
  process.exit(2);
}

const { positionals, values: o } = parseArgs({
  allowPositionals: true,
  options: {
    kid: { type: 'string' },
    'private-key': { type: 'string' },
    customer: { type: 'string' },
    tier: { type: 'string' },
    days: { type: 'string' },
    expires: { type: 'string' },
    'not-before': { type: 'string' },
    'grace-days': { type: 'string' },
    'max-accounts': { type: 'string' },
    'max-domains': { type: 'string' },
    feature: { type: 'string', multiple: true },
    out: { type: 'string' },
  },
});
const command = positionals[0];
if (!o.kid || !/^[a-z0-9][a-z0-9._-]{0,59}$/.test(o.kid))
  fail(`--kid is required (lowercase letters, digits, . _ -)\n${USAGE}`);
if (!o['private-key']) fail(`--private-key is required\n${USAGE}`);
const keyFile = path.resolve(o['private-key']);
const testKey = o.kid.startsWith('test-');

function insideRepo(file) {
  let dir = path.dirname(file);
  while (!existsSync(dir)) dir = path.dirname(dir);
  const real = path.join(realpathSync(dir), path.relative(dir, file));
  return real === root || real.startsWith(root + path.sep);
}
if (!testKey && insideRepo(keyFile)) fail('the private key of a production key must live outside this repository');

function dateArg(name, value) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    fail(`--${name} must be a date YYYY-MM-DD`);
  return Math.floor(Date.parse(value) / 1000);
}
function limitArg(name, value) {
  if (value === undefined) return undefined;
  if (value === 'unlimited') return null;
  if (!/^\d{1,9}$/.test(value)) fail(`--${name} must be a whole number or 'unlimited'`);
  return Number(value);
}

if (command === 'keygen') {
  const publicFile = path.join(keysDir, `${o.kid}.pem`);
  if (existsSync(keyFile) || existsSync(publicFile))
    fail(`refusing to overwrite ${existsSync(keyFile) ? keyFile : publicFile}`);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  const note = testKey
    ? '# TEST ONLY: licences signed with this key are accepted only when test_mode is on.\n'
    : `# VeloPanel licence verification key '${o.kid}' (Ed25519).\n`;
  writeFileSync(publicFile, note + publicKey.export({ type: 'spki', format: 'pem' }), { flag: 'wx' });
  process.stdout.write(`private key: ${keyFile}\npublic key:  ${publicFile}\n`);
} else if (command === 'sign') {
  if (!o.customer || o.customer.length > 200) fail('--customer is required (at most 200 characters)');
  if (!['community', 'pro', 'business'].includes(o.tier ?? '')) fail('--tier must be community, pro or business');
  const now = Math.floor(Date.now() / 1000);
  const nbf = o['not-before'] ? dateArg('not-before', o['not-before']) : now;
  const days = o.days === undefined ? 365 : Number(o.days);
  if (!Number.isInteger(days) || days < 1 || days > 3650) fail('--days must be 1–3650');
  const exp = o.expires ? dateArg('expires', o.expires) : nbf + days * 86400;
  if (exp <= nbf) fail('the licence must expire after it starts');
  const grace = o['grace-days'] === undefined ? undefined : Number(o['grace-days']);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0 || grace > 365)) fail('--grace-days must be 0–365');
  for (const f of o.feature ?? []) if (!/^[a-z0-9_.*-]{1,60}$/.test(f)) fail(`--feature '${f}' is not a feature name`);
  const limits = {
    max_accounts: limitArg('max-accounts', o['max-accounts']),
    max_domains: limitArg('max-domains', o['max-domains']),
  };
  const claims = {
    customer: o.customer,
    tier: o.tier,
    nbf,
    exp,
    ...(grace === undefined ? {} : { grace_days: grace }),
    ...(Object.values(limits).some((v) => v !== undefined) ? { limits: JSON.parse(JSON.stringify(limits)) } : {}),
    ...(o.feature?.length ? { features: o.feature } : {}),
  };
  const pem = readFileSync(keyFile, 'utf8');
  const key = await importPKCS8(pem, 'EdDSA');
  const jws = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: o.kid, typ: 'velopanel-licence+jwt' })
    .setIssuedAt()
    .sign(key);
  const publicFile = path.join(keysDir, `${o.kid}.pem`);
  if (existsSync(publicFile)) {
    const spki = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(
      readFileSync(publicFile, 'utf8'),
    )?.[0];
    await compactVerify(jws, await importSPKI(spki ?? '', 'EdDSA')).catch(() =>
      fail(`the private key does not match ${publicFile}`),
    );
  } else {
    const derived = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'pem' });
    process.stderr.write(`license-sign: warning: no ${publicFile}; panels verify with this public key:\n${derived}`);
  }
  if (o.out) writeFileSync(path.resolve(o.out), jws + '\n', { mode: 0o600 });
  else process.stdout.write(jws + '\n');
} else {
  fail(USAGE);
}
