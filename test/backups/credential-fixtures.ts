// Helpers of restore-credentials.test.ts: MariaDB objects an admin defines as root@localhost (and
// rows that look like DEFINER clauses), what they show a user, and reading or rewriting the
// manifest of a real backup archive.
import { gunzipSync, gzipSync } from 'node:zlib';
import mysql from 'mysql2/promise';
import type { DatabaseGrant } from '../../sdk/index.js';

/** A customer's login over TCP, as an application makes it. */
export const maria = (port: number, login: DatabaseGrant) =>
  mysql.createConnection({
    host: '127.0.0.1',
    port,
    user: login.user,
    password: login.password,
    database: login.database,
    connectTimeout: 5000,
  });

/** Row texts a DEFINER filter must not touch. */
export const TRICKY_ROWS = [
  'DEFINER=`root`@`localhost`',
  '/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */',
  "x\nCREATE DEFINER='root'@'localhost' PROCEDURE p()\n;;",
  'DELIMITER ;;\né ☕',
];

/**
 * With `create`, make (as the given admin connection, in `database`) a table with tricky rows, an
 * audit table fed by a trigger, a view, a procedure and a function — all `DEFINER=root@localhost`.
 * Then, or with `create: false` only, answer what they show: rows byte for byte (hex), the view,
 * the audit trail, the procedure's and the function's results.
 */
export async function definerObjects(
  c: mysql.Connection,
  database: string,
  opts: { create?: boolean } = { create: true },
) {
  if (opts.create) {
    await c.query(`USE \`${database}\``);
    await c.query('CREATE TABLE items (id INT PRIMARY KEY, note TEXT) CHARACTER SET utf8mb4');
    await c.query('CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(100))');
    await c.query(
      "CREATE DEFINER=`root`@`localhost` TRIGGER items_added AFTER INSERT ON items FOR EACH ROW INSERT INTO audit (what) VALUES (CONCAT('DEFINER=`root`@`localhost` added ', NEW.id))",
    );
    for (const [i, note] of TRICKY_ROWS.entries()) await c.query('INSERT INTO items VALUES (?, ?)', [i + 1, note]);
    await c.query(
      'CREATE DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW short_notes AS SELECT id, LEFT(note, 8) AS head FROM items',
    );
    await c.query(
      'CREATE DEFINER=`root`@`localhost` PROCEDURE count_items(IN more INT) SELECT COUNT(*) + more AS n FROM items',
    );
    await c.query('CREATE DEFINER=`root`@`localhost` FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2');
  }
  const [rows] = await c.query(`SELECT id, HEX(note) AS note FROM \`${database}\`.items ORDER BY id`);
  const [view] = await c.query(`SELECT * FROM \`${database}\`.short_notes ORDER BY id`);
  const [audit] = await c.query(`SELECT * FROM \`${database}\`.audit ORDER BY id`);
  const [called] = await c.query<any[]>(`CALL \`${database}\`.count_items(10)`);
  const [[fn]] = await c.query<any[]>(`SELECT \`${database}\`.twice(21) AS v`);
  return { rows, view, audit, called: called[0], fn };
}

/** The tar entry of `manifest.json` in an uncompressed archive: header offset and content. */
function manifestEntry(tar: Buffer): { header: number; text: string } {
  for (let at = 0; at + 512 <= tar.length; ) {
    const name = tar
      .subarray(at, at + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(
      tar
        .subarray(at + 124, at + 136)
        .toString('ascii')
        .replace(/\0.*$/s, '')
        .trim(),
      8,
    );
    if (name === 'manifest.json') return { header: at, text: tar.subarray(at + 512, at + 512 + size).toString('utf8') };
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('manifest.json not found in the archive');
}

/** The parsed manifest of a `.tar.gz` backup. */
export function archiveManifest(archive: Buffer): any {
  return JSON.parse(manifestEntry(gunzipSync(archive)).text);
}

/** The archive with its manifest text rewritten by `edit` (size and header checksum fixed, so only the manifest differs). */
export function withManifest(archive: Buffer, edit: (text: string) => string): Buffer {
  const tar = gunzipSync(archive);
  const { header, text } = manifestEntry(tar);
  const changed = Buffer.from(edit(text));
  if (changed.toString() === text) throw new Error('the edit changed nothing');
  const h = Buffer.from(tar.subarray(header, header + 512));
  h.write(changed.length.toString(8).padStart(11, '0') + '\0', 124, 12, 'ascii');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  const body = Buffer.alloc(Math.ceil(changed.length / 512) * 512);
  changed.copy(body);
  return gzipSync(Buffer.concat([tar.subarray(0, header), h, body, Buffer.alloc(1024)]));
}
