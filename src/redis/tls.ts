/**
 * TLS for `rediss://` URLs: the CA, client certificate and key (PEM files) and the server name
 * to verify, from FANIN_TLS_CA, FANIN_TLS_CERT, FANIN_TLS_KEY and FANIN_TLS_SERVERNAME. The CLI
 * flags (--tls-ca, --tls-cert, --tls-key, --tls-servername) set these variables after checking the
 * files, so every process the CLI starts (workers, orchestrators) inherits them. The server's
 * certificate is always verified: there is no way to turn verification off.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from '../errors.js';

export const TLS_ENV = { ca: 'FANIN_TLS_CA', cert: 'FANIN_TLS_CERT', key: 'FANIN_TLS_KEY', servername: 'FANIN_TLS_SERVERNAME' } as const;
const FILES = ['ca', 'cert', 'key'] as const;

function readPem(kind: (typeof FILES)[number], path: string, source: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new ConfigError(`${source}: cannot read the TLS ${kind} file ${path} (${(cause as NodeJS.ErrnoException).code ?? 'unreadable'})`, { [kind]: path }, { cause });
  }
}

/** Node TLS options for `url` (undefined for redis:// URLs), from the FANIN_TLS_* variables. */
export function tlsOptionsFor(url: string, env: NodeJS.ProcessEnv = process.env): ConnectionOptions | undefined {
  if (!/^rediss:/i.test(url)) return undefined;
  const tls: ConnectionOptions = {};
  for (const kind of FILES) {
    const path = env[TLS_ENV[kind]];
    if (path) tls[kind] = readPem(kind, path, TLS_ENV[kind]);
  }
  if (!!tls.cert !== !!tls.key) {
    throw new ConfigError('a TLS client certificate needs its key and a key its certificate: give both --tls-cert and --tls-key (FANIN_TLS_CERT, FANIN_TLS_KEY)');
  }
  const servername = env[TLS_ENV.servername];
  if (servername) tls.servername = servername;
  return tls;
}

export interface TlsFlags {
  'tls-ca'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-servername'?: string;
}

/**
 * Checks the files the TLS flags name (a usage error naming the flag and path when one cannot be
 * read) and exports the flags as FANIN_TLS_* so this process and its children use them.
 */
export function applyTlsFlags(flags: TlsFlags, env: NodeJS.ProcessEnv = process.env): void {
  for (const kind of FILES) {
    const path = flags[`tls-${kind}`];
    if (path === undefined) continue;
    readPem(kind, path, `--tls-${kind}`);
    env[TLS_ENV[kind]] = path;
  }
  if (flags['tls-servername'] !== undefined) env[TLS_ENV.servername] = flags['tls-servername'];
}

const describe = {
  ca: 'PEM file of the CA that signed the server\'s certificate (rediss://; env FANIN_TLS_CA)',
  cert: 'PEM client certificate, for servers with tls-auth-clients (env FANIN_TLS_CERT)',
  key: 'PEM key of the client certificate (env FANIN_TLS_KEY)',
  servername: 'the name the server\'s certificate was issued to, when the URL\'s host differs (env FANIN_TLS_SERVERNAME)',
};

/** The TLS flags of every command that connects (yargs), applied by a middleware. */
export function withTlsFlags<T>(y: import('yargs').Argv<T>) {
  return y
    .option('tls-ca', { type: 'string', describe: describe.ca })
    .option('tls-cert', { type: 'string', describe: describe.cert })
    .option('tls-key', { type: 'string', describe: describe.key })
    .option('tls-servername', { type: 'string', describe: describe.servername })
    .middleware((a) => applyTlsFlags(a as TlsFlags));
}
