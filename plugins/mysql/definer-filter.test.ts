import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { withoutDefiners } from './definer-filter.js';

/** Feed `input` in chunks of `size` bytes, so lines and clauses straddle chunk borders. */
async function filtered(input: string | Buffer, size = 7): Promise<string> {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
  return (await buffer(withoutDefiners(Readable.from(chunks)))).toString('utf8');
}

// Shaped exactly like mariadb-dump 10.11 output (rows on their own lines, versioned comments):
// each input line, with what the filter makes of it where it changes it.
const LINES: [string, string?][] = [
  ['/*M!999999\\- enable the sandbox mode */ '],
  ['-- MariaDB dump 10.19'],
  ['INSERT INTO `t` VALUES'],
  ["(1,'DEFINER=`root`@`localhost`'),"],
  ["(2,'x\\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\\nCREATE DEFINER=`a`@`b` VIEW');"],
  ['DELIMITER ;;'],
  [
    "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER tr AFTER INSERT ON t FOR EACH ROW INSERT INTO log (msg) VALUES (CONCAT('DEFINER=`x`@`y`', NEW.id)) ",
    "/*!50003 CREATE*/ /*!50003 TRIGGER tr AFTER INSERT ON t FOR EACH ROW INSERT INTO log (msg) VALUES (CONCAT('DEFINER=`x`@`y`', NEW.id)) ",
  ],
  ['*/;;'],
  [
    "/*!50106 CREATE*/ /*!50117 DEFINER='root'@'%'*/ /*!50106 EVENT `ev` ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM log WHERE id < 0 ",
    '/*!50106 CREATE*/ /*!50106 EVENT `ev` ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM log WHERE id < 0 ',
  ],
  ['*/ ;;'],
  ['CREATE DEFINER=`root`@`localhost` PROCEDURE `p`(IN x INT)', 'CREATE PROCEDURE `p`(IN x INT)'],
  ['BEGIN'],
  ["  SELECT 'a';"],
  ['CREATE DEFINER=`kept`@`inside` TABLE body_text;'],
  ['END ;;'],
  ['DELIMITER ;'],
  ['/*!50001 CREATE ALGORITHM=UNDEFINED */'],
  ['/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */', '/*!50013 SQL SECURITY DEFINER */'],
  ['/*!50001 VIEW `v` AS select `t`.`id` AS `id` from `t` */;'],
  [
    'CREATE DEFINER = "we""ird"@"h" FUNCTION `f`(x INT) RETURNS int(11) DETERMINISTIC RETURN x + 1;',
    'CREATE FUNCTION `f`(x INT) RETURNS int(11) DETERMINISTIC RETURN x + 1;',
  ],
  [
    'CREATE OR REPLACE ALGORITHM=MERGE DEFINER=CURRENT_USER() SQL SECURITY INVOKER VIEW `w` AS SELECT 1;',
    'CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW `w` AS SELECT 1;',
  ],
  ['ALTER DEFINER=`o``dd@x`@`10.0.0.%` VIEW `w` AS SELECT 2;', 'ALTER VIEW `w` AS SELECT 2;'],
  [''],
];
const DUMP = LINES.map(([line]) => line).join('\n');
const EXPECTED = LINES.map(([line, changed]) => changed ?? line).join('\n');

describe('withoutDefiners', () => {
  it('removes DEFINER from statement headers in every form and leaves rows and bodies alone', async () => {
    expect(await filtered(DUMP)).toBe(EXPECTED);
  });

  it('gives the same bytes whatever the chunk size', async () => {
    for (const size of [1, 2, 3, 13, 64, 100_000]) expect(await filtered(DUMP, size)).toBe(EXPECTED);
  });

  it('keeps CRLF line ends, multi-byte text and a last line without newline', async () => {
    const input =
      "CREATE DEFINER=`rööt`@`localhost` PROCEDURE p()\r\nSELECT 'ünï ☕';\r\nCREATE DEFINER=`a`@`b` FUNCTION g() RETURNS INT RETURN 1;";
    expect(await filtered(input, 5)).toBe(
      "CREATE PROCEDURE p()\r\nSELECT 'ünï ☕';\r\nCREATE FUNCTION g() RETURNS INT RETURN 1;",
    );
  });

  it('streams a line longer than it holds without changing it, and still finds the next header', async () => {
    const row = `INSERT INTO t VALUES ('${'DEFINER=`root`@`localhost` '.repeat(80_000)}');\n`;
    const input = Buffer.concat([
      Buffer.from(row),
      Buffer.from('CREATE DEFINER=`root`@`localhost` PROCEDURE p() SELECT 1;\n'),
    ]);
    const out = await filtered(input, 65_536);
    expect(out.length).toBe(row.length + 'CREATE PROCEDURE p() SELECT 1;\n'.length);
    expect(out.startsWith(row)).toBe(true);
    expect(out.endsWith('CREATE PROCEDURE p() SELECT 1;\n')).toBe(true);
  });

  it('does not treat a line inside a statement as a header, nor strip without CREATE or ALTER', async () => {
    const input =
      'SELECT 1,\nDEFINER=`x`@`y`;\n/*!50013 DEFINER=`x`@`y` SQL SECURITY DEFINER */;\nCREATE TABLE t (\nCREATE DEFINER=`x`@`y` int);\n';
    expect(await filtered(input)).toBe(input);
  });
});
