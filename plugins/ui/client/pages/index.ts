// The pages of the panel itself, in navigation order within its section. Each plugin's pages
// live in its own folder (plugins/<id>/ui/pages.ts) and are loaded by shell/plugin-pages.ts.
import type { PageDef } from '../shell/types.js';
import { auditPage } from './audit.js';
import { dashboardPage } from './dashboard.js';
import { jobsPage } from './jobs.js';
import { licencePage } from './licence.js';
import { pluginsPage } from './plugins.js';
import { profilePage } from './profile.js';
import { resellersPage } from './resellers.js';
import { securityPage } from './security.js';
import { tokensPage } from './tokens.js';

export const BUILT_IN_PAGES: PageDef[] = [
  dashboardPage,
  pluginsPage,
  licencePage,
  securityPage,
  auditPage,
  jobsPage,
  tokensPage,
  resellersPage,
  profilePage,
];
