import {
  accountDirectory,
  errors,
  Type,
  type AccountInfo,
  type ApiRequest,
  type RouteDefinition,
  type Static,
} from '../../sdk/index.js';
import { capsView } from './ini-caps.js';
import { INI_RULES, validateIni, type IniInput } from './ini.js';
import type { PhpService } from './service.js';
import { accountApplicability, iniApplicability } from './status.js';
import type { PhpMode } from './versions.js';

const Params = Type.Object({
  account_id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, 'x-error': 'must be a positive integer' }),
});
type Params = Static<typeof Params>;

const Version = Type.String({
  pattern: '^[0-9]{1,2}\\.[0-9]{1,2}$',
  'x-error': 'must be an installed version such as 8.2',
});
const Mode = Type.Union([Type.Literal('cgi'), Type.Literal('fpm'), Type.Literal('lsapi')], {
  'x-error': 'must be cgi, fpm or lsapi',
});
const SetVersionBody = Type.Object({ version: Version, mode: Mode });
type SetVersionBody = Static<typeof SetVersionBody>;

const IniValue = Type.Union([Type.String({ maxLength: 100 }), Type.Integer(), Type.Boolean()], {
  'x-error': 'must be a string, whole number or boolean',
});
/** Values are checked against the allow-list in code, so the message can name the key and its pattern. */
export const IniBody = Type.Object({
  settings: Type.Record(Type.String({ maxLength: 64 }), IniValue, { maxProperties: 64 }),
});
type IniBody = Static<typeof IniBody>;

/** The account's PHP as the API shows it. */
export async function configView(php: PhpService, account: AccountInfo) {
  const eff = await php.effective(account.id);
  const v = await php.version(eff.version);
  const socket = php.socket(account);
  const status = await accountApplicability(php.ctx.services, account, eff.mode, socket);
  return {
    account_id: account.id,
    username: account.username,
    version: eff.version,
    mode: eff.mode,
    source: eff.explicit ? 'account' : 'server default',
    installed: Boolean(v),
    binary: eff.mode === 'fpm' ? (v?.binaries.fpm ?? null) : (v?.binaries.cgi ?? null),
    socket: eff.mode === 'fpm' ? socket : null,
    ...status,
  };
}

async function iniView(php: PhpService, account: AccountInfo) {
  const eff = await php.effective(account.id);
  const settings = Object.fromEntries(
    Object.keys(INI_RULES)
      .sort()
      .map((k) => [k, eff.ini[k] ?? null]),
  );
  const status = await iniApplicability(php.ctx.services, account, eff.mode, php.socket(account));
  return {
    account_id: account.id,
    username: account.username,
    mode: eff.mode,
    settings,
    caps: capsView(php.caps(account)),
    ...status,
  };
}

/** Routes of `/api/php`. */
export function phpRoutes(php: PhpService): RouteDefinition[] {
  const accounts = () => php.ctx.services.get(accountDirectory);
  const owner = (req: ApiRequest<Params>) => accounts().owner(req.params.account_id);
  const account = async (id: number) => {
    const a = await accounts().get(id);
    if (!a) throw errors.notFound(`Account ${id} not found`);
    return a;
  };
  return [
    {
      method: 'GET',
      path: '/api/php/versions',
      summary: 'Detected PHP versions on the server',
      access: { scope: 'php:read' },
      handler: async () => {
        const versions = await php.versions();
        return { versions, default: versions.find((v) => v.default)?.version ?? null };
      },
    },
    {
      method: 'GET',
      path: '/api/php/config/:account_id',
      summary: 'Current PHP version and mode for an account',
      schema: { params: Params },
      access: { scope: 'php:read', owner },
      handler: async (req: ApiRequest<Params>) => configView(php, await account(req.params.account_id)),
    },
    {
      method: 'POST',
      path: '/api/php/version/:account_id',
      summary: 'Set PHP version and mode (cgi, fpm or lsapi)',
      schema: { params: Params, body: SetVersionBody },
      access: { scope: 'php:write', owner },
      handler: async (req: ApiRequest<Params, unknown, SetVersionBody>) => {
        const a = await account(req.params.account_id);
        const mode: PhpMode = req.body.mode;
        php.checkPlanMode(a, mode);
        await php.check(req.body.version, mode);
        const current = await php.effective(a.id);
        req.auditTarget = `account:${a.id}`;
        await php.transition(a, { version: req.body.version, mode, ini: current.ini });
        return configView(php, a);
      },
    },
    {
      method: 'GET',
      path: '/api/php/ini/:account_id',
      summary: 'php.ini settings of an account (allow-listed directives)',
      schema: { params: Params },
      access: { scope: 'php:read', owner },
      handler: async (req: ApiRequest<Params>) => iniView(php, await account(req.params.account_id)),
    },
    {
      method: 'POST',
      path: '/api/php/ini/:account_id',
      summary: 'Replace the php.ini settings of an account',
      schema: { params: Params, body: IniBody },
      access: { scope: 'php:write', owner },
      handler: async (req: ApiRequest<Params, unknown, IniBody>) => {
        const ini = validateIni(req.body.settings as IniInput);
        const a = await account(req.params.account_id);
        php.checkCaps(a, ini);
        const current = await php.effective(a.id);
        if (!current.version) throw errors.conflict('No PHP version is installed on this server');
        req.auditTarget = `account:${a.id}`;
        await php.transition(a, { version: current.version, mode: current.mode, ini });
        return iniView(php, a);
      },
    },
  ];
}
