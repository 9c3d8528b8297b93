import type { PluginContext } from '../../../sdk/plugin.js';
import type { ApiRequest, RouteAccess } from '../../../sdk/routes.js';
import type { AccountInfo } from '../../../sdk/points/accounts.js';
import type { FileRunner } from '../runner.js';

/** What the route groups share. */
export interface FileRoutesContext {
  ctx: PluginContext;
  runner: FileRunner;
  access: (scope: 'files:read' | 'files:write') => RouteAccess;
  /** The checked account of a request; also sets its audit target. */
  account: (req: ApiRequest) => Promise<AccountInfo>;
  /** Run a change of the account's files: 409 naming the job while a restore or delete of it runs. */
  change: <T>(account: AccountInfo, work: () => Promise<T>) => Promise<T>;
  textLimit: number;
  uploadLimit: number;
  jobThreshold: number;
}
