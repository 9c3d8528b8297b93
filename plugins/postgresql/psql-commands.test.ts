import { describe, expect, it } from 'vitest';
import { throughInPieces } from '../../sdk/testing/index.js';
import { psqlHasRestrict, refusePsqlCommands } from './psql-commands.js';

const through = (dump: string, size?: number) =>
  throughInPieces((s) => refusePsqlCommands(s, 'SET ROLE "o";\n'), dump, size);

const CLEAN = [
  '-- PostgreSQL database dump \\! not a command in a comment',
  'SET standard_conforming_strings = on;',
  "SELECT pg_catalog.set_config('search_path', '', false);",
  'CREATE FUNCTION public.f(text) RETURNS text LANGUAGE plpgsql AS $_$',
  "BEGIN RETURN regexp_replace($1, '\\s+', ' '); END; -- \\! inside the body",
  '$_$;',
  'CREATE FUNCTION public.g() RETURNS integer LANGUAGE sql',
  'BEGIN ATOMIC',
  ' SELECT 1;',
  ' SELECT CASE WHEN true THEN 2 END;',
  'END;',
  "CREATE TABLE public.\"we\\ird\" (id integer, v text DEFAULT E'a\\'b\\\\', w text DEFAULT 'c:\\\\dir');",
  '/* block \\! /* nested */ still comment */',
  "COMMENT ON TABLE public.\"we\\ird\" IS 'it''s \\ fine';",
  'COPY public."we\\ird" (id, v, w) FROM stdin;',
  '1\t\\N\ta\\\\b',
  '2\t\\! not a command, data\t\\t',
  '\\restrict not-dropped-inside-data',
  '\\.',
  'SELECT $$ \\! $$, $a$ $b$ \\! $a$, x$y FROM t;',
  "COPY public.t FROM stdin WITH (FORMAT csv); SELECT 'after';",
  '"a,\\! b"',
  '\\.',
  '',
].join('\n');

describe('refusePsqlCommands', () => {
  it('passes a dump with backslashes in strings, bodies, comments and COPY data, in any split', async () => {
    const dump = `\\restrict AbC123\n${CLEAN}\\unrestrict AbC123\n`;
    for (const size of [dump.length, 1, 5, 64]) expect(await through(dump, size)).toBe(`SET ROLE "o";\n${CLEAN}`);
  });

  it.each([
    ['\\! touch /tmp/x\n', "the psql command '\\!' (line 1)"],
    ['SELECT 1;\nSELECT 2; \\! touch /tmp/x\n', "'\\!' (line 2)"],
    ['SELECT 1 \\g |touch /tmp/x\n', "'\\g'"],
    ['\\o |sh\n', "'\\o'"],
    ["\\copy t from program 'id'\n", "'\\copy'"],
    ['\\setenv PAGER x\n', "'\\setenv'"],
    ['\\set ON_ERROR_STOP 0\n', "'\\set'"],
    ['SELECT $a$ x $a$ \\! id\n', "'\\!'"],
    ['/* x */ \\i /etc/passwd\n', "'\\i'"],
    ['COPY t FROM stdin;\n1\n\\.\n\\! id\n', "'\\!' (line 4)"],
    // COPY only where psql takes it: not in a comment, not before a pending statement ends.
    ['/*\nCOPY t FROM stdin;\n*/\n\\! id\n\\.\n', "'\\!' (line 4)"],
    ['SELECT (1;\nCOPY t FROM stdin;\n\\! id\n\\.\n', "'\\!' (line 3)"],
    [
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;\nCOPY t FROM stdin;\n\\! id\n\\.\n',
      "'\\!' (line 3)",
    ],
    // Bytes psql versions or settings read differently are not guessed at.
    ["SELECT 'a\\'; \\! id --';\n", 'standard_conforming_strings'],
    ['SELECT 1$a$ \\! id $a$;\n', 'dollar sign right after a number'],
    ['SELECT $1$a$ \\! id $a$;\n', 'dollar sign right after a parameter'],
    ["SELECT 'x\0';\n' \\! id\n", 'a NUL byte outside COPY data'],
    ["SET client_encoding = 'SJIS';\nSELECT E'\x81\\'; \\! id --';\n", 'depends on client_encoding'],
  ])('refuses %j', async (dump, named) => {
    for (const size of [dump.length, 1, 3]) {
      await expect(through(dump, size)).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining(named),
      });
    }
  });
});

describe('psqlHasRestrict', () => {
  it.each([
    ['psql (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)', true],
    ['psql (PostgreSQL) 15.13', false],
    ['psql (PostgreSQL) 17.6', true],
    ['psql (PostgreSQL) 16.9', false],
    ['psql (PostgreSQL) 18.0', true],
    ['psql (PostgreSQL) 12.22', false],
    ['psql (PostgreSQL) 9.6.24', false],
    ['', false],
  ])('%j → %s', (out, expected) => {
    expect(psqlHasRestrict(out)).toBe(expected);
  });
});
