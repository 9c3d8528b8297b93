import { describe, expect, it } from 'vitest';
import { throughInPieces } from '../../sdk/testing/index.js';
import { refuseClientCommands } from './client-commands.js';

const through = (dump: string, size?: number) => throughInPieces((s) => refuseClientCommands(s), dump, size);

const CLEAN =
  [
    '/*M!999999\\- enable the sandbox mode */ ',
    '-- MariaDB dump 10.19 \\! not a command in a comment',
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
    'CREATE TABLE `we\\ird` (`id` int, `v` text) ENGINE=InnoDB;',
    "INSERT INTO `we\\ird` VALUES (1,'it\\'s \\\\! \\n system'),(2,NULL),(3,\"dq \\\" \\! \"),(4,'multi",
    "line \\! still a string');",
    '# \\! hash comment',
    '/* \\! block',
    '   comment */ SELECT 1;',
    'DELIMITER ;;',
    "/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON `we\\ird` FOR EACH ROW BEGIN SET NEW.v = 'x;'; END */;;",
    'DELIMITER ;',
    'SELECT \\N;',
    'use_counter_is_a_word_not_use;',
  ].join('\n') + '\n';

describe('refuseClientCommands', () => {
  it('passes a dump with backslashes in strings, names and comments byte for byte, in any split', async () => {
    expect(await through(CLEAN)).toBe(CLEAN);
    expect(await through(CLEAN, 1)).toBe(CLEAN);
    expect(await through(CLEAN, 7)).toBe(CLEAN);
  });

  it.each([
    ['\\! touch /tmp/x\n', "'\\!' (line 1)"],
    ['SELECT 1;\nSELECT 2; \\! touch /tmp/x\n', "'\\!' (line 2)"],
    ["INSERT INTO t VALUES ('a\\\\');\\! id\n", "'\\!'"],
    ['/*!50000 \\! touch /tmp/x */;\n', "'\\!'"],
    ['\\. /etc/passwd\n', "'\\.'"],
    ['\\T /tmp/out\n', "'\\T'"],
    ['system touch /tmp/x\n', "'system'"],
    ['SELECT 1;\n  SOURCE /etc/passwd\n', "'source'"],
    ['-- header\n\ntee /tmp/out\n', "'tee'"],
    ['pager;\n', "'pager'"],
    ['DELIMITER $$\nSELECT 1$$\nconnect other\n', "'connect'"],
  ])('refuses %j', async (dump, named) => {
    for (const size of [dump.length, 1, 3]) {
      await expect(through(dump, size)).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining(`the mysql client command ${named}`),
      });
    }
  });

  it('does not take a word inside a pending statement for a command', async () => {
    const dump = 'SELECT\nsystem FROM t;\n';
    expect(await through(dump)).toBe(dump);
  });
});
