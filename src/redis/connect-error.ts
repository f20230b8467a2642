/**
 * Turns the failure of a connection attempt into a RedisUnavailableError whose `reason` says
 * what happened and whose message names the fix. Classified by error codes only: Node's socket
 * and TLS codes (ECONNREFUSED, SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID, ...),
 * ioredis' error names (ReplyError, ParserError) and Redis reply prefixes (WRONGPASS, NOAUTH,
 * NOPERM), plus the step of the handshake that failed (AUTH, PING, SELECT).
 */
import { type RedisFailureReason, RedisUnavailableError } from '../errors.js';

/** The handshake step that was under way: connecting, AUTH, PING or SELECT (or a cluster
 *  client's first command, CLUSTER SLOTS: cluster-connect-error.ts). */
export type HandshakePhase = 'connect' | 'auth' | 'ping' | 'select' | 'cluster';

export interface FailedAttempt {
  /** the redacted URL */
  url: string;
  /** what the failed call threw */
  error: unknown;
  /** the last 'error' event of the connection (the socket's own error, when there was one) */
  socketError: unknown;
  phase: HandshakePhase;
  /** set when the attempt gave up waiting */
  timedOutAfterMs?: number;
  username?: string;
  db?: number;
}

interface Classified {
  reason: RedisFailureReason;
  what: string;
  fix: string;
}

const TLS_VERIFY = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
]);
const CA_FIX = "fix: pass the CA that signed the server's certificate with --tls-ca (or FANIN_TLS_CA)";
const SOCKET: Record<string, Omit<Classified, 'what'> & { text: string }> = {
  ECONNREFUSED: { reason: 'refused', text: 'connection refused (ECONNREFUSED): nothing listens there', fix: 'fix: start redis-server there, or correct the host and port in --redis (or FANIN_REDIS_URL)' },
  ETIMEDOUT: { reason: 'timeout', text: 'the connection timed out (ETIMEDOUT)', fix: 'fix: check that host and port belong to a Redis reachable from here (firewall, VPN, a paused server)' },
  ENOTFOUND: { reason: 'dns', text: 'unknown host (ENOTFOUND)', fix: 'fix: correct the host name in --redis (or FANIN_REDIS_URL)' },
  EAI_AGAIN: { reason: 'dns', text: 'the host name could not be resolved (EAI_AGAIN)', fix: 'fix: check DNS, or use the server\'s IP address' },
  EHOSTUNREACH: { reason: 'refused', text: 'no route to host (EHOSTUNREACH)', fix: 'fix: check the host address and the network' },
  ECONNRESET: { reason: 'closed', text: 'the server reset the connection (ECONNRESET)', fix: 'fix: if the server listens with TLS use rediss://; check that the port belongs to a Redis' },
};

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function tlsClass(err: unknown): Classified | undefined {
  const code = codeOf(err);
  if (!code) return undefined;
  const msg = (err as Error).message;
  if (TLS_VERIFY.has(code)) return { reason: 'tls', what: `TLS certificate verification failed: ${msg} (${code})`, fix: CA_FIX };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { reason: 'tls', what: `TLS hostname mismatch: ${msg} (${code})`, fix: 'fix: connect by a name the certificate was issued to, or name it with --tls-servername (FANIN_TLS_SERVERNAME)' };
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return { reason: 'tls', what: `the server does not speak TLS on this port (${code})`, fix: 'fix: use redis:// for a plain port, or the port the server\'s tls-port names' };
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return { reason: 'tls', what: `the TLS handshake failed: ${msg} (${code})`, fix: 'fix: if the server requires client certificates (tls-auth-clients yes) pass --tls-cert and --tls-key signed by a CA it trusts' };
  }
  return undefined;
}

function replyClass(err: Error, a: FailedAttempt): Classified | undefined {
  const prefix = err.message.split(' ', 1)[0];
  const text = err.message.replace(/\s+/g, ' ');
  if (a.phase === 'select') {
    return { reason: 'no-db', what: `the server has no database ${a.db} (${text})`, fix: "fix: use a database index below the server's `databases` setting (default 16), or none" };
  }
  if (prefix === 'WRONGPASS' || (a.phase === 'auth' && prefix === 'ERR')) {
    return { reason: 'auth', what: `${text} (the server refused the user or password)`, fix: 'fix: correct the user name and password in the URL (percent-encode @ : / % # in them)' };
  }
  if (prefix === 'NOAUTH') return { reason: 'auth', what: `${text} (the server requires a password)`, fix: 'fix: put the user and password in the URL: redis://user:password@host:port' };
  if (prefix === 'NOPERM') {
    const command = (err as { command?: { name?: string } }).command?.name ?? 'unknown';
    return {
      reason: 'acl',
      what: `NOPERM: the ACL user ${a.username ? `'${a.username}'` : 'default'} may not run '${command}'`,
      fix: `fix: grant the user the command (ACL SETUSER ${a.username || 'default'} +${command}); see docs/security.md`,
    };
  }
  return undefined;
}

function classify(a: FailedAttempt): Classified {
  if (a.timedOutAfterMs !== undefined) {
    return { reason: 'timeout', what: `no answer within ${a.timedOutAfterMs} ms`, fix: 'fix: check that host and port belong to a Redis reachable from here (a silent port, firewall, a paused server)' };
  }
  const candidates = [a.error, a.socketError].filter((e): e is Error => e instanceof Error);
  for (const e of candidates) {
    if (e.name === 'ReplyError') {
      const c = replyClass(e, a);
      if (c) return c;
    }
    if (e.name === 'ParserError') {
      return { reason: 'not-redis', what: 'the server does not speak the Redis protocol (its reply is not RESP)', fix: 'fix: point --redis at a Redis server (this port belongs to something else, e.g. an HTTP server)' };
    }
    const tls = tlsClass(e);
    if (tls) return tls;
    const s = SOCKET[codeOf(e) ?? ''];
    if (s) return { reason: s.reason, what: s.text, fix: s.fix };
  }
  const msg = candidates[0]?.message ?? String(a.error);
  return { reason: msg === 'Connection is closed.' ? 'closed' : 'unknown', what: `the connection failed before Redis answered (${msg})`, fix: 'fix: check that the URL names a Redis server (rediss:// for a TLS port) and that it is running' };
}

/** A copy of an error without ioredis' `command.args` (AUTH's arguments are the password). */
function withoutArgs(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const copy = new Error(err.message);
  copy.name = err.name;
  const code = codeOf(err);
  if (code) Object.assign(copy, { code });
  const name = (err as { command?: { name?: string } }).command?.name;
  if (name) Object.assign(copy, { command: { name } });
  return copy;
}

export function connectError(a: FailedAttempt): RedisUnavailableError {
  const c = classify(a);
  const cause = withoutArgs(a.socketError instanceof Error && c.reason !== 'timeout' && a.error instanceof Error && a.error.message === 'Connection is closed.' ? a.socketError : a.error);
  return new RedisUnavailableError(
    `${c.reason === 'auth' || c.reason === 'acl' ? 'not authorised on' : 'cannot reach Redis at'} ${a.url}: ${c.what} (reason: ${c.reason}); ${c.fix}`,
    { url: a.url, reason: c.reason, phase: a.phase },
    { cause },
  );
}
