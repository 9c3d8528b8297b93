import {
  compileValidator,
  errors,
  isPanelError,
  resellerCapTable,
  Type,
  usageCounters,
  type Principal,
  type Static,
} from '../../sdk/index.js';
import { domainsOf } from './account-domains.js';
import type { AccountDeps } from './create.js';
import { assertHomeFree, homeFor } from './home.js';
import { CreateAccountBody, checkUsername, primaryDomain } from './validate.js';

/** Most rows one import takes (the body stays under a few MB, the job under minutes). */
export const IMPORT_MAX_ROWS = 5000;
/** Row problems the 400 spells out; the rest are counted. */
const SHOWN = 50;

/** Body of `POST /api/accounts/import`: rows as `POST /api/accounts` takes them (plan defaults to free). */
export const ImportBody = Type.Object({
  // Rows are checked one by one below, so the answer names every bad row, not only the first.
  accounts: Type.Array(Type.Unknown(), {
    minItems: 1,
    maxItems: IMPORT_MAX_ROWS,
    'x-error': `must be a list of 1–${IMPORT_MAX_ROWS} accounts`,
  }),
  /** Admin only, for every row: a primary domain may sit under (or above) a domain of another account. */
  allow_cross_account: Type.Optional(Type.Boolean({ 'x-error': 'must be true or false' })),
});
export type ImportBody = Static<typeof ImportBody>;

const { allow_cross_account: _cross, ...rowFields } = CreateAccountBody.properties;
const rowValidator = compileValidator<CreateAccountBody>(Type.Object(rowFields));

/** One checked row: its 1-based number in the file and the body `createAccount` takes. */
export interface ImportRow {
  row: number;
  body: CreateAccountBody;
}

/**
 * Check every row before anything is made: fields, reserved and taken usernames, domain names
 * (taken, owned by another account, the panel's own), the plan (one the caller may use), duplicates and nesting within the file,
 * homes, and the licence and reseller limits for the whole batch. Any problem is a 400 (403 for
 * a limit) naming each bad row by its number, and nothing is created.
 */
export async function checkImport(
  d: AccountDeps,
  input: ImportBody,
  principal: Principal | null,
): Promise<ImportRow[]> {
  const asAdmin = principal?.role === 'admin';
  if (input.allow_cross_account && !asAdmin)
    throw errors.forbidden("allow_cross_account: only an admin may place a name under another account's domain");
  const domains = domainsOf(d.ctx);
  const problems: { row: number; text: string }[] = [];
  const rows: ImportRow[] = [];
  const seenUser = new Map<string, number>();
  const seenDomain = new Map<string, number>();
  for (const [i, raw] of input.accounts.entries()) {
    const n = i + 1;
    const fail = (e: unknown) => {
      if (!isPanelError(e) || e.status >= 500) throw e;
      problems.push({ row: n, text: e.message });
    };
    try {
      const given = raw && typeof raw === 'object' && !Array.isArray(raw) ? { plan: 'free', ...(raw as object) } : raw;
      const body = rowValidator.parse(given, 'row');
      checkUsername(body.username);
      const domain = primaryDomain(body.domain);
      const sameUser = seenUser.get(body.username);
      if (sameUser) throw errors.conflict(`username: '${body.username}' is also in row ${sameUser}`);
      const sameDomain = seenDomain.get(domain);
      if (sameDomain) throw errors.conflict(`domain: ${domain} is also in row ${sameDomain}`);
      seenUser.set(body.username, n);
      seenDomain.set(domain, n);
      if (await d.store.q().where({ username: body.username }).first())
        throw errors.conflict(`Account '${body.username}' already exists`);
      await d.plans.usable(body.plan, principal?.role === 'reseller' ? principal.userId : null);
      if (domains.checkNewName)
        await domains.checkNewName(domain, { asAdmin, allowCrossAccount: input.allow_cross_account });
      else if (await domains.byName(domain)) throw errors.conflict(`Domain ${domain} already exists on this server`);
      assertHomeFree(homeFor(d.settings.homeBase, body.username));
      rows.push({ row: n, body: { ...body, domain, allow_cross_account: input.allow_cross_account } });
    } catch (e) {
      fail(e);
    }
  }
  // Two rows of the file nesting their domains would be two accounts owning one name tree.
  if (!input.allow_cross_account) {
    const byDomain = new Map(rows.map((r) => [r.body.domain, r.row]));
    for (const r of rows) {
      const labels = r.body.domain.split('.');
      const outer = labels
        .slice(1, -1)
        .map((_, i) => labels.slice(i + 1).join('.'))
        .find((p) => byDomain.has(p));
      if (outer)
        problems.push({ row: r.row, text: `domain: ${r.body.domain} is under ${outer} of row ${byDomain.get(outer)}` });
    }
  }
  if (problems.length) {
    const shown = problems
      .sort((a, b) => a.row - b.row)
      .slice(0, SHOWN)
      .map((p) => `row ${p.row}: ${p.text}`);
    const more = problems.length > SHOWN ? `; and ${problems.length - SHOWN} more` : '';
    throw errors.validation(
      `Import refused, nothing was created: ${problems.length} of ${input.accounts.length} rows have problems: ${shown.join('; ')}${more}`,
    );
  }
  await checkLimits(d, rows.length, principal);
  return rows;
}

/** The licence's account and domain limits and the reseller's account cap, for `count` new accounts at once. */
async function checkLimits(d: AccountDeps, count: number, principal: Principal | null): Promise<void> {
  const limits = d.ctx.licence().limits;
  const accounts = limits.max_accounts ?? null;
  const domainLimit = limits.max_domains ?? null;
  const rowsOf = async (where: Record<string, unknown>) =>
    Number((await d.store.q().where(where).count({ n: '*' }).first())?.n ?? 0);
  const have = await rowsOf({}); // as the create's own check counts: rows still being created hold a slot
  if (accounts !== null && have + count > accounts)
    throw errors.limitReached(
      `Account limit reached: ${have} + ${count} imported would pass ${accounts}. Upgrade your license for more.`,
    );
  if (domainLimit !== null) {
    const counter = d.ctx.extensions.entries(usageCounters).find((e) => e.entryId === 'domains' && e.available);
    const domainCount = counter ? await counter.value.count() : 0;
    if (domainCount + count > domainLimit)
      throw errors.limitReached(
        `Domain limit reached: ${domainCount} + ${count} imported would pass ${domainLimit}. Upgrade your license for more.`,
      );
  }
  const resellerId = principal?.role === 'reseller' ? principal.userId : null;
  const cap = await resellerCapTable(d.ctx.db).of(resellerId);
  if (cap !== null) {
    const owned = await rowsOf({ reseller_id: resellerId });
    if (owned + count > cap)
      throw errors.limitReached(`Reseller account limit reached: ${owned} + ${count} imported would pass ${cap}.`);
  }
}
