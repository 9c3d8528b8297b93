// The pages the backups plugin adds to the web UI: the UI compiles every plugins/<id>/ui/ folder with
// its client and loads each plugin's pages.ts (plugins/ui/client/shell/plugin-pages.ts).
import type { PageDef } from '../../ui/client/kit.js';
import { targetsPage } from './backup-targets.js';
import { backupsPage } from './backups.js';

export const pages: PageDef[] = [backupsPage, targetsPage];
