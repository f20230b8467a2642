/**
 * The steps of opening a connection, each awaited so a failure names its step: connect (TCP and
 * TLS), AUTH (again, awaited: without the ready check ioredis does not wait for its own AUTH, and
 * a refused AUTH must never go on as the default user), PING, SELECT of the URL's database (ioredis
 * ignores a refused SELECT and would run in db 0). The whole is bounded by `timeoutMs`.
 */
import type { Redis } from 'ioredis';
import { connectError, type HandshakePhase } from './connect-error.js';

async function steps(redis: Redis, at: { phase: HandshakePhase }): Promise<void> {
  if (redis.status === 'wait') await redis.connect();
  const { username, password, db } = redis.options;
  if (password) {
    at.phase = 'auth';
    await redis.call('AUTH', ...(username ? [username, password] : [password]));
  }
  at.phase = 'ping';
  await redis.ping();
  if (db) {
    at.phase = 'select';
    await redis.select(db);
  }
}

export async function handshake(redis: Redis, redactedUrl: string, timeoutMs: number): Promise<void> {
  let socketError: unknown = null;
  const onError = (err: unknown) => void (socketError = err);
  redis.on('error', onError);
  const at: { phase: HandshakePhase } = { phase: 'connect' };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const run = steps(redis, at);
  try {
    const r = await Promise.race([run, timedOut]);
    if (r === 'timeout') throw new Error(`no answer within ${timeoutMs} ms`);
  } catch (error) {
    run.catch(() => undefined);
    redis.disconnect();
    const { username, db } = redis.options;
    throw connectError({
      url: redactedUrl, error, socketError, phase: at.phase, username, db,
      timedOutAfterMs: error instanceof Error && error.message.startsWith('no answer within') && !(socketError instanceof Error) ? timeoutMs : undefined,
    });
  } finally {
    clearTimeout(timer);
    redis.off('error', onError);
  }
}
