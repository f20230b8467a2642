/**
 * A Redis URL split into one URL per seed node: `redis://[auth@]h1:p1,h2:p2[/db][?query]` (the
 * credentials, database and query apply to every host), or comma-separated full URLs
 * `redis://a@h1:p1,rediss://b@h2:p2/0` (what repeated `--redis` flags fold into; a seed without a
 * path takes the last seed's). A seed's credentials run up to the last `@` of that seed, so a
 * comma in a password is never read as a seed separator; a raw `/ ? # ,` in them cannot be told
 * from the URL's structure and is a ConfigError asking to percent-encode it. Errors never echo a
 * password (redact-url.ts).
 */
import { ConfigError } from '../errors.js';
import { redactUrl } from './redact-url.js';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** A `,` that starts another full URL. */
const NEXT_URL = /,(?=[a-z][a-z0-9+.-]*:\/\/)/i;

interface Seed {
  scheme: string;
  /** `user:password@` as typed, or '' */
  auth: string;
  hosts: string[];
  /** `/db?query` as typed, or '' */
  tail: string;
}

function invalid(url: string, why: string): ConfigError {
  return new ConfigError(`invalid Redis URL "${redactUrl(url)}": ${why}`, { url: redactUrl(url) });
}

/** Refuses credentials holding a character that would end or split the URL's authority. */
function checkAuth(url: string, auth: string): void {
  const raw = /[/?#,]/.exec(auth.slice(0, -1));
  if (raw) {
    const hex = raw[0].charCodeAt(0).toString(16).toUpperCase();
    throw invalid(url, `the user name or password holds a raw "${raw[0]}", so it is not a URL that can be parsed: percent-encode it as %${hex} (and @ as %40, : as %3A, % as %25)`);
  }
}

function parseSeed(url: string, part: string): Seed {
  const scheme = SCHEME.exec(part)?.[0];
  if (!scheme) {
    // not echoed: without a scheme, credentials in it could not be told apart to be redacted
    throw new ConfigError('invalid Redis URL (not shown, it may hold a password): not a URL: each seed must start with redis:// or rediss://');
  }
  const body = part.slice(scheme.length);
  const at = body.lastIndexOf('@');
  const auth = at >= 0 ? body.slice(0, at + 1) : '';
  checkAuth(url, auth);
  const rest = body.slice(auth.length);
  const cut = rest.search(/[/?#]/);
  const hostList = cut >= 0 ? rest.slice(0, cut) : rest;
  const hosts = hostList.split(',').map((h) => h.trim()).filter((h) => h !== '');
  if (hosts.length === 0) throw invalid(url, 'a seed names no host');
  return { scheme, auth, hosts, tail: cut >= 0 ? rest.slice(cut) : '' };
}

/** The seeds of `url` as typed (scheme, credentials, hosts, tail), validated for structure. */
export function parseSeeds(url: string): Seed[] {
  return url.trim().split(NEXT_URL).map((p) => parseSeed(url, p.trim()));
}

/**
 * Refuses a seed list mixing `redis://` and `rediss://` (a cluster's nodes are all dialled with
 * one TLS setting). Checked when connecting (connection.ts connect(), detectCluster), so that a
 * client's constructor does not throw; until then the cluster client dials TLS if any seed asks
 * for it (cluster-detect.ts), never plaintext.
 */
export function assertOneScheme(url: string): void {
  const schemes = new Set(parseSeeds(url).map((s) => s.scheme.toLowerCase()));
  if (schemes.size > 1) {
    throw invalid(url, `the seeds mix ${[...schemes].join(' and ')}, but a cluster's nodes are all dialled with one TLS setting (a rediss:// seed would be reached in plaintext): give every seed the same scheme, rediss:// for a TLS cluster`);
  }
}

/** The seed whose scheme decides TLS for a whole seed list: a rediss:// one if any. */
export function tlsSeed(url: string): string {
  return seedUrls(url).find((s) => /^rediss:/i.test(s)) ?? url;
}

/** One URL per seed node of `url` (a single URL gives itself). */
export function seedUrls(url: string): string[] {
  const seeds = parseSeeds(url);
  if (seeds.length === 1 && seeds[0].hosts.length === 1) return [url.trim()];
  const lastTail = seeds[seeds.length - 1].tail;
  return seeds.flatMap((s) => s.hosts.map((h) => `${s.scheme}${s.auth}${h}${s.tail || lastTail}`));
}

/** True when the URL is an explicit list of seed nodes. */
export function isSeedList(url: string): boolean {
  return seedUrls(url).length > 1;
}

/**
 * The URL (the first seed of a seed list), checked: every seed a `redis://` or `rediss://` URL
 * with a numeric database, credentials without a raw `/ ? # ,` (seed-list.ts). Errors show the
 * URL redacted (redact-url.ts).
 */
export function parseRedisUrl(url: string): URL {
  const seeds = seedUrls(url);
  if (seeds.length > 1) return seeds.map((s) => parseRedisUrl(s))[0];
  const safe = redactUrl(url);
  let u: URL;
  try {
    u = new URL(seeds[0]);
  } catch (cause) {
    throw new ConfigError(`invalid Redis URL "${safe}": not a URL, it could not be parsed (percent-encode @ : / ? # % , in the user name and password)`, { url: safe }, { cause });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new ConfigError(`invalid Redis URL "${safe}": scheme must be redis:// or rediss://`, { url: safe });
  }
  const db = u.pathname.replace(/^\//, '');
  // the path holds no credentials: an @ after it would have made it part of them (checkAuth)
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new ConfigError(`invalid Redis URL "${safe}": database "${db}" is not a number`, { url: safe });
  }
  return u;
}
