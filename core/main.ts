import 'reflect-metadata';
import { ConfigError } from './config/load.js';
import { createPanel, loadConfig } from './panel.js';

/** `npm start` / `velopanel serve`: load config, start the kernel, stop cleanly on SIGTERM/SIGINT. */
export async function serve(): Promise<void> {
  // A closed stdout (piped into `head`, a dead log collector) must not crash the panel.
  process.stdout.on('error', () => undefined);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`velopanel: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const kernel = createPanel(config);
  // Handlers first: a signal that arrives while the kernel is starting stops it once started.
  let started: Promise<unknown> = Promise.resolve();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await started.catch(() => undefined);
    kernel.logger.info('shutting down', { signal, grace_ms: config.shutdown_grace_ms });
    await kernel.stop(config.shutdown_grace_ms);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  started = kernel.start();
  // A top-level key no plugin takes is found only once the plugins are known: the same one line and exit code.
  const addr = (await started.catch((e: unknown) => {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`velopanel: ${e.message}\n`);
    process.exit(2);
  })) as Awaited<ReturnType<typeof kernel.start>>;
  const host =
    addr.address === '0.0.0.0' || addr.address === '::'
      ? 'localhost'
      : addr.address.includes(':')
        ? `[${addr.address}]`
        : addr.address;
  const plugins = [...kernel.plugins.slots.keys()].map((id) => `${id}(${kernel.plugins.state(id).state})`).join(', ');
  kernel.logger.info(
    `VeloPanel ${kernel.version} listening on ${kernel.http.tls ? 'https' : 'http'}://${host}:${addr.port}`,
    { bind: `${addr.address}:${addr.port}`, mode: config.mode, data_dir: config.data_dir },
  );
  kernel.logger.info(`plugins loaded: ${plugins || 'none'}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch((e) => {
    process.stderr.write(`velopanel: failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
