/**
 * The proxy is loopback-only: it listens on 127.0.0.1 and forwards only to a loopback
 * upstream. Helpers to check that, and to move a redis:// URL onto the proxy.
 */
import { ConfigError } from '../../../src/index.js';

export interface HostPort {
  host: string;
  port: number;
}

/** 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h === 'localhost' || h === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}

/** The upstream, checked: a loopback host and a TCP port. ConfigError otherwise. */
export function loopbackUpstream(upstream: HostPort): HostPort {
  const { host, port } = upstream;
  if (typeof host !== 'string' || !isLoopbackHost(host)) {
    throw new ConfigError(`proxy upstream must be a loopback address (127.x.x.x, ::1, localhost), got ${JSON.stringify(host)}`, {
      host,
    });
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`proxy upstream port must be an integer 1..65535, got ${JSON.stringify(port)}`, { port });
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return { host: bare, port };
}

function parseRedisUrl(redisUrl: string): URL {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch (cause) {
    throw new ConfigError('not a valid redis:// URL', { url: redisUrl }, { cause });
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`expected a redis:// or rediss:// URL, got ${url.protocol}//`, { protocol: url.protocol });
  }
  return url;
}

/** Host and port of a redis:// URL (port 6379 when absent), checked to be loopback. */
export function upstreamFromRedisUrl(redisUrl: string): HostPort {
  const url = parseRedisUrl(redisUrl);
  return loopbackUpstream({ host: url.hostname || '127.0.0.1', port: url.port ? Number(url.port) : 6379 });
}

/** The same URL (credentials, db, query kept) with host and port replaced. */
export function withHostPort(redisUrl: string, host: string, port: number): string {
  const url = parseRedisUrl(redisUrl);
  url.hostname = host;
  url.port = String(port);
  return url.toString();
}
