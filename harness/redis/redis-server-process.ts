/**
 * One redis-server process started from the machine's binary on a loopback port, in its own
 * process group (a Ctrl-C in the terminal reaches the harness, which stops it in order), ready
 * once it answers PING. A watchdog process kills it if the harness dies without stopping it;
 * `detach()` ends the watchdog so the server outlives the harness (--keep-redis).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisUnavailableError } from '../../src/index.js';

export interface RedisServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** resolves at the process's exit */
  readonly exited: Promise<void>;
}

/** Sends PING over a raw connection; true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1_000, () => done(false));
    s.on('error', () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      reply += d.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** Starts `binary --port <port> <args>` and waits (up to `timeoutMs`) until it answers PING. */
export async function startRedisServer(binary: string, port: number, args: string[], timeoutMs = 15_000): Promise<RedisServerProcess> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'no', ...args], {
    detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => void (output = (output + d.toString('utf8')).slice(-2_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let gone = false;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => { spawnError = err; gone = true; resolve(); });
    child.once('exit', () => { gone = true; resolve(); });
  });
  const deadline = Date.now() + timeoutMs;
  while (!gone && Date.now() < deadline) {
    if (await ping(port)) return { child, port, exited };
    await sleep(25);
  }
  if (!gone) {
    child.kill('SIGKILL');
    await exited;
  }
  const why = spawnError?.message ?? (gone ? `it exited: ${output.trim().split('\n').slice(-3).join(' | ')}` : `it did not answer PING within ${timeoutMs} ms`);
  throw new RedisUnavailableError(`redis-server (${binary}) did not start on port ${port}: ${why}`, { binary, port }, { cause: spawnError });
}

/** Stops the server: SIGTERM, SIGKILL after `graceMs`. */
export async function stopRedisServer(p: RedisServerProcess, graceMs = 5_000): Promise<void> {
  const { child } = p;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGCONT'); // a paused server cannot act on SIGTERM
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(t);
}

/** A watchdog: kills `pid` (SIGKILL) once this process is gone; ends itself when `pid` is gone. */
const WATCHDOG = `const [parent, pid] = process.argv.slice(1).map(Number);
const alive = (p) => { try { process.kill(p, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
setInterval(() => {
  if (!alive(pid)) process.exit(0);
  if (!alive(parent)) { try { process.kill(pid, 'SIGCONT'); process.kill(pid, 'SIGKILL'); } catch {} process.exit(0); }
}, 500);`;

/** Starts the watchdog of a server process; returns it (kill it to let the server outlive this process). */
export function watchServer(pid: number): ChildProcess {
  const w = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(pid)], { detached: true, stdio: 'ignore' });
  w.on('error', () => undefined);
  w.unref();
  return w;
}
