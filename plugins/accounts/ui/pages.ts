// The pages the accounts plugin adds to the web UI: the UI compiles every plugins/<id>/ui/ folder with
// its client and loads each plugin's pages.ts (plugins/ui/client/shell/plugin-pages.ts).
import type { PageDef } from '../../ui/client/kit.js';
import { accountsPage } from './accounts.js';
import { plansPage } from './plans.js';

export const pages: PageDef[] = [accountsPage, plansPage];
