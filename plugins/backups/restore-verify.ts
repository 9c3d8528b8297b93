import { errors, type AccountInfo, type PluginContext } from '../../sdk/index.js';
import type { KnownAccount } from './accounts.js';
import { madeBy } from './archives.js';
import type { ScannedArchive } from './archive/scan-archive.js';
import { checkScan } from './archive/verify.js';
import { checkCredentials } from './credentials.js';
import type { Manifest } from './manifest.js';
import { refuse } from './failure.js';
import { validateSettings } from './restore-items.js';
import type { ManifestSigner } from './signing.js';

/** What the checks found: the manifest, whether this panel signed it, and whether the account made it. */
export interface VerifiedArchive {
  manifest: Manifest;
  signed: boolean;
  ours: boolean;
}

/** What the checks need of the request. */
export interface VerifyRequest {
  filename: string;
  accountId: number;
  known: KnownAccount;
  allowUnsigned?: boolean;
  /** True only for an administrator who asked for it. */
  allowOtherAccount: boolean;
}

/**
 * Every check of a scanned archive before anything it holds may replace the account's data: the
 * parts against the manifest (sizes, SHA-256, links), credentials and settings as input, the
 * panel's signature (unless an admin allowed unsigned), and that the account made it (unless an
 * admin allowed another's). Throws the refusal (400, or 403 for another account's archive).
 */
export async function verifyScan(
  ctx: PluginContext,
  signer: ManifestSigner,
  r: VerifyRequest,
  scan: ScannedArchive,
  live: AccountInfo | null,
): Promise<VerifiedArchive> {
  let manifest: Manifest;
  try {
    manifest = checkScan(scan, r.known.username);
    checkCredentials(ctx, manifest);
    await validateSettings(ctx, manifest);
  } catch (e) {
    throw refuse(e);
  }
  const signed = signer.check(manifest);
  if (signed.status !== 'valid' && !r.allowUnsigned)
    throw refuse(errors.validation(`${signed.reason}; an administrator may restore it with allow_unsigned=true`));
  const ours = madeBy(
    { account_id: manifest.account.id, identity: manifest.account.identity ?? null },
    live ? { id: live.id, identity: live.identity ?? null } : r.known,
  );
  if (!ours && !r.allowOtherAccount)
    throw errors.forbidden(
      `Backup ${r.filename} was made by another account (${manifest.account.id}); only an administrator may restore it into account ${r.accountId}, with allow_other_account=true`,
    );
  return { manifest, signed: signed.status === 'valid', ours };
}
