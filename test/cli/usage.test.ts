// `--help` everywhere and usage errors (exit 2), run in-process through the same `run()` the
// launcher calls; one child process checks the launcher itself.
import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMANDS, run } from '../../cli/main.js';
import { buildOnce, tempHome, velopanel } from './cli.js';

/** A loopback port nothing listens on (taken, then released). */
function freePort(): Promise<number> {
  const srv = createServer();
  return new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    }),
  );
}

function capture() {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((err += String(s)), true));
  return { out: () => out, err: () => err };
}

describe('velopanel help and usage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('lists every command, the exit codes and the environment in --help', async () => {
    const io = capture();
    expect(await run(['--help'], {})).toBe(0);
    for (const c of COMMANDS) expect(io.out()).toContain(`  ${c.path.join(' ')} `);
    expect(io.out()).toMatch(/Exit codes:\n  0  success\n  1 .*\n  2  usage/);
    expect(io.out()).toContain('VELOPANEL_URL, VELOPANEL_TOKEN');
  });

  it('has --help (and `help …`) for every command, with its usage and options', async () => {
    for (const c of COMMANDS) {
      for (const argv of [
        [...c.path, '--help'],
        ['help', ...c.path],
        [...c.path, '-h'],
      ]) {
        const io = capture();
        expect(await run(argv, {}), argv.join(' ')).toBe(0);
        expect(io.out()).toMatch(new RegExp(`^Usage: velopanel ${c.path.join(' ')}`));
        for (const o of c.options ?? []) expect(io.out()).toContain(`--${o.name}`);
        expect(io.err()).toBe('');
        vi.restoreAllMocks();
      }
    }
  });

  it('shows the subcommands of a group', async () => {
    const io = capture();
    expect(await run(['backup', '--help'], {})).toBe(0);
    expect(io.out()).toMatch(/^Usage: velopanel backup <command>/);
    expect(io.out()).toContain('  backup create ');
    const bare = capture();
    expect(await run(['plugins'], {})).toBe(2);
    expect(bare.err()).toMatch(/^Usage: velopanel plugins <command>/);
  });

  it('exits 2 naming the problem for bad command lines', async () => {
    const cases: [string[], string][] = [
      [['frobnicate'], "velopanel: unknown command 'frobnicate' (see: velopanel --help)\n"],
      [['accounts', 'frob'], "velopanel: unknown command 'accounts frob' (see: velopanel accounts --help)\n"],
      [['accounts', 'suspend'], 'velopanel: missing <account> (see: velopanel accounts suspend --help)\n'],
      [
        ['accounts', 'suspend', '1', '2'],
        "velopanel: unexpected argument '2' (see: velopanel accounts suspend --help)\n",
      ],
      [['accounts', 'list', '--bogus'], 'velopanel: unknown option --bogus (see: velopanel accounts list --help)\n'],
      [
        ['accounts', 'list', '--url'],
        'velopanel: option --url needs a value (URL) (see: velopanel accounts list --help)\n',
      ],
      [
        ['accounts', 'list', '--json=yes'],
        'velopanel: option --json takes no value (see: velopanel accounts list --help)\n',
      ],
      [['accounts', 'list', '--url', 'ftp://x'], 'velopanel: --url: must start with http:// or https://\n'],
      [['plugins', 'allow', 'x'], 'velopanel: --reseller ID is required (see: velopanel plugins allow --help)\n'],
      [['backup', 'create', '1', '--progress', 'fancy'], 'velopanel: --progress: must be bar, lines or none\n'],
    ];
    for (const [argv, message] of cases) {
      const io = capture();
      const code = await run(argv, { VELOPANEL_URL: 'http://127.0.0.1:9', XDG_CONFIG_HOME: tempHome() });
      expect({ argv, code, err: io.err() }).toEqual({ argv, code: 2, err: message });
      vi.restoreAllMocks();
    }
  });
});

describe('the velopanel launcher', () => {
  beforeAll(() => buildOnce(), 300_000);

  it('runs the built CLI: version on stdout, nothing else', async () => {
    const res = await velopanel(['--version'], { home: tempHome() });
    expect(res).toEqual({
      code: 0,
      stdout: `${JSON.parse((await import('node:fs')).readFileSync('package.json', 'utf8')).version}\n`,
      stderr: '',
    });
  });

  it('exits 8 when the panel cannot be reached', async () => {
    const port = await freePort();
    const res = await velopanel(['--url', `http://127.0.0.1:${port}`, 'license', 'show'], { home: tempHome() });
    expect({ code: res.code, stderr: res.stderr }).toEqual({
      code: 8,
      stderr: `velopanel: cannot reach the panel at http://127.0.0.1:${port} (ECONNREFUSED); is it running? (velopanel serve, or --url)\n`,
    });
  });
});
