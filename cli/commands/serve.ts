import type { CommandSpec } from '../command.js';

/** `velopanel serve`: the panel itself, as `npm start` and the systemd unit run it. */
export const serveCommand: CommandSpec = {
  path: ['serve'],
  summary: 'Run the panel (REST API and UI) in the foreground',
  offline: true,
  options: [
    { name: 'config', value: 'FILE', help: 'the TOML config (sets VELOPANEL_CONFIG)' },
    { name: 'host', value: 'ADDRESS', help: 'bind address (sets VELOPANEL_HOST)' },
    { name: 'port', value: 'PORT', help: 'port (sets VELOPANEL_PORT)' },
    { name: 'data-dir', value: 'DIR', help: 'data directory (sets VELOPANEL_DATA_DIR)' },
  ],
  details: `Logs are JSON lines on stdout (log_format = "json"), or one readable line each on a
terminal (log_format = "auto", the default, or "pretty"). SIGTERM and SIGINT stop it gracefully:
no new requests, running jobs get shutdown_grace_ms to finish, plugins stop in reverse order.
A bad config stops it with one line naming the key and exit code 2.`,
  async run(ctx) {
    const env: [string, string][] = [
      ['config', 'VELOPANEL_CONFIG'],
      ['host', 'VELOPANEL_HOST'],
      ['port', 'VELOPANEL_PORT'],
      ['data-dir', 'VELOPANEL_DATA_DIR'],
    ];
    for (const [opt, name] of env)
      if (typeof ctx.options[opt] === 'string') process.env[name] = ctx.options[opt] as string;
    // Loaded here: the kernel is heavy, and no other command needs it.
    await import('reflect-metadata');
    const { serve } = await import('../../core/main.js');
    await serve();
    return null;
  },
};
