import type { Logger } from '../sdk/logger.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Where log lines go; tests capture them. */
export type LogSink = (line: string) => void;

/**
 * JSON-lines logger (one object per line on stdout), or a readable single-line form for a
 * terminal. Keys whose names look secret are masked before anything is written.
 */
export function createLogger(
  opts: {
    level?: Level | 'silent';
    format?: 'json' | 'pretty' | 'auto';
    sink?: LogSink;
    fields?: Record<string, unknown>;
  } = {},
): Logger {
  const level = ORDER[opts.level ?? 'info'];
  const pretty = opts.format === 'pretty' || (opts.format !== 'json' && !opts.sink && process.stdout.isTTY === true);
  const sink = opts.sink ?? ((line: string) => process.stdout.write(line + '\n'));
  const base = opts.fields ?? {};

  const write = (lvl: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < level) return;
    const record = { time: new Date().toISOString(), level: lvl, msg, ...base, ...mask(fields ?? {}) };
    if (!pretty) return sink(JSON.stringify(record));
    const { time, level: l, msg: m, ...rest } = record;
    const extra = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    sink(`${time.slice(11, 19)} ${l.toUpperCase().padEnd(5)} ${m}${extra ? ' ' + extra : ''}`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) =>
      createLogger({ ...opts, sink, format: pretty ? 'pretty' : 'json', fields: { ...base, ...fields } }),
  };
}

const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|private|credential/i;

function mask(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
  return out;
}
