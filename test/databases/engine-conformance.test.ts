// Both first-party engines run the SDK's database-engine conformance suite unchanged, against the
// test bed's real MariaDB (admin: root over the socket) and PostgreSQL (admin over TCP with scram).
import { describe } from 'vitest';
import { SystemExec } from '../../core/exec.js';
import { mysqlEngines } from '../../plugins/mysql/index.js';
import { postgresqlEngine } from '../../plugins/postgresql/index.js';
import { describeDatabaseEngineConformance } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { mariadbBySocket, mysqlSession, pgSession, postgresByTcp } from './fixtures.js';

const bed = useServices('mariadb', 'postgres');
const exec = new SystemExec();

describe.skipIf(bed.skip)('first-party database engines', () => {
  for (const id of ['mysql', 'mariadb'] as const) {
    describeDatabaseEngineConformance(id, {
      connection: () => mariadbBySocket(bed.mariadb),
      factory: (config) => mysqlEngines(config, exec)[id],
      connectAs: (_config, login) => mysqlSession(bed.mariadb, login),
      unreachable: (config) => ({ ...config, socket: '/nonexistent/mysqld.sock' }),
    });
  }
  describeDatabaseEngineConformance('postgresql', {
    connection: () => postgresByTcp(bed.postgres, 'VELOPANEL_TEST_PG_CONFORMANCE'),
    factory: (config) => postgresqlEngine(config, exec),
    connectAs: (_config, login) => pgSession(bed.postgres, login),
    unreachable: (config) => ({ ...config, port: 1 }),
  });
});
