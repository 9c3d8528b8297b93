// Every built-in page, in navigation order within its section.
import type { PageDef } from '../shell/types.js';
import { accessPage } from './access.js';
import { accountsPage } from './accounts.js';
import { auditPage } from './audit.js';
import { backupsPage } from './backups.js';
import { dashboardPage } from './dashboard.js';
import { databasesPage } from './databases.js';
import { dnsPage } from './dns.js';
import { domainsPage } from './domains.js';
import { filesPage } from './files.js';
import { jobsPage } from './jobs.js';
import { licencePage } from './licence.js';
import { phpPage } from './php.js';
import { plansPage } from './plans.js';
import { pluginsPage } from './plugins.js';
import { profilePage } from './profile.js';
import { resellersPage } from './resellers.js';
import { securityPage } from './security.js';
import { sslPage } from './ssl.js';
import { systemPage } from './system.js';
import { tokensPage } from './tokens.js';

export const BUILT_IN_PAGES: PageDef[] = [
  dashboardPage,
  accountsPage,
  plansPage,
  domainsPage,
  dnsPage,
  sslPage,
  phpPage,
  filesPage,
  databasesPage,
  accessPage,
  backupsPage,
  systemPage,
  pluginsPage,
  licencePage,
  securityPage,
  auditPage,
  jobsPage,
  tokensPage,
  resellersPage,
  profilePage,
];
