/**
 * `--serve [HOST:]PORT`: where `/metrics` listens. Loopback (127.0.0.1) unless a host is named;
 * `[::1]:9121` for IPv6; port 0 picks a free one (printed). A bad address is a ConfigError
 * (exit 2) naming it and the fix.
 */
import { isIP } from 'node:net';
import { ConfigError } from '../../../src/index.js';

export interface ServeAddress {
  host: string;
  port: number;
}

const HOSTNAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const FIX = 'give [HOST:]PORT, for example --serve 127.0.0.1:9121 (loopback unless a host is named)';

function refuse(text: string, why: string): ConfigError {
  return new ConfigError(`--serve "${text}": ${why}; ${FIX}`, { serve: text });
}

export function parseServeAddress(text: string): ServeAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(.*)$/.exec(text);
  const host = m ? (m[1] ?? m[2]) : '127.0.0.1';
  const portText = m ? m[3] : text;
  if (host === '' || (m?.[1] !== undefined ? isIP(host) !== 6 : !(isIP(host) === 4 || HOSTNAME.test(host)))) {
    throw refuse(text, `"${host}" is not a host name or IP address`);
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) throw refuse(text, `port ${portText || '(none)'} is not a port number 0..65535`);
  return { host, port: Number(portText) };
}
