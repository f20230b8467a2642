/**
 * A Redis in a container, driven through testcontainers against any Docker-compatible engine
 * (Docker, or podman's API service: see ../shared/env/container-engine.sh).
 *
 * The container uses host networking and Redis binds 127.0.0.1 on a free port picked here, so
 * all traffic stays on loopback (no bridge, no port mapping). The command is only arguments
 * (`--bind 127.0.0.1 --port <port> --save '' --appendonly no`): with an image whose
 * entrypoint is redis-server (the local image) they go to redis-server directly, and the
 * official image's docker-entrypoint.sh prefixes `redis-server` to arguments starting with `-`.
 */
import type { StartedTestContainer } from 'testcontainers';

import { MissingDependencyError, RedisUnavailableError } from '../../src/index.js';
import { freeLoopbackPort } from './free-port.js';
import type { RedisProvider, StartedRedis } from './provider.js';

/**
 * testcontainers is loaded only when the container provider is used (it is heavy, and an optional
 * peer dependency): without it, MissingDependencyError names the install command (exit 2).
 */
async function tc(): Promise<typeof import('testcontainers')> {
  try {
    return await import('testcontainers');
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new MissingDependencyError('testcontainers', 'the container provider (--provider container)', { cause });
    throw cause;
  }
}

export { freeLoopbackPort } from './free-port.js';

export const DEFAULT_REDIS_IMAGE = 'redis:7-alpine';

const ENGINE_FIX =
  'start one with `eval "$(../shared/env/container-engine.sh)"` from the project root (podman with a Docker-compatible API), ' +
  'or run a Docker engine and set DOCKER_HOST; or use the embedded provider or --redis URL';

/** The image to start Redis from: REDIS_CONTAINER_IMAGE, else redis:7-alpine. */
export function redisContainerImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_CONTAINER_IMAGE || DEFAULT_REDIS_IMAGE;
}

/** The redis-server arguments the container runs with. */
export function redisContainerArgs(port: number): string[] {
  return ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function describeEngine(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST}` : 'DOCKER_HOST unset';
}

/** Whether a container engine answers (for tests to skip with the reason when it does not). */
export async function containerEngineAvailable(
  timeoutMs = 10_000,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await withTimeout((await tc()).getContainerRuntimeClient(), timeoutMs, 'the container engine');
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `no container engine (${describeEngine()}): ${(err as Error).message}; ${ENGINE_FIX}` };
  }
}

export interface ContainerProviderOptions {
  /** Image to run (default: REDIS_CONTAINER_IMAGE, else redis:7-alpine). */
  image?: string;
  /** Milliseconds to wait for "Ready to accept connections" (default 30000). */
  startupTimeoutMs?: number;
  /** Milliseconds to wait for the engine to answer (default 10000). */
  engineTimeoutMs?: number;
}

/** Starts attempts again with a new port when a container came up but Redis did not. */
const MAX_ATTEMPTS = 3;

export class ContainerRedisProvider implements RedisProvider {
  readonly name = 'container' as const;
  /** Faults are not injected through the container yet (StartedRedis has no fault hook). */
  readonly supportedFaults = [] as const;
  readonly image: string;
  private readonly startupTimeoutMs: number;
  private readonly engineTimeoutMs: number;

  constructor(opts: ContainerProviderOptions = {}) {
    this.image = opts.image ?? redisContainerImage();
    this.startupTimeoutMs = opts.startupTimeoutMs ?? 30_000;
    this.engineTimeoutMs = opts.engineTimeoutMs ?? 10_000;
  }

  async start(): Promise<StartedRedis> {
    const lib = await tc();
    try {
      await withTimeout(lib.getContainerRuntimeClient(), this.engineTimeoutMs, 'the container engine');
    } catch (cause) {
      throw new RedisUnavailableError(
        `container provider: no container engine answers (${describeEngine()}): ${(cause as Error).message}; ${ENGINE_FIX}`,
        { provider: 'container', dockerHost: process.env.DOCKER_HOST ?? null },
        { cause },
      );
    }

    let lastError: unknown;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const port = await freeLoopbackPort();
      let container: StartedTestContainer;
      try {
        const { GenericContainer, Wait } = lib;
        container = await new GenericContainer(this.image)
          .withNetworkMode('host')
          .withCommand(redisContainerArgs(port))
          .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
          .withStartupTimeout(this.startupTimeoutMs)
          .start();
      } catch (err) {
        lastError = err;
        // A missing image or a refusing engine will not get better with another port.
        if (!isReadinessFailure(err)) break;
        continue;
      }
      const url = `redis://127.0.0.1:${port}`;
      let stopped: Promise<void> | undefined;
      return {
        url,
        owned: true,
        stop: () => (stopped ??= container.stop({ remove: true, timeout: 0 }).then(() => undefined)),
      };
    }
    const message = (lastError as Error | undefined)?.message ?? String(lastError);
    throw new RedisUnavailableError(
      `container provider: Redis did not start from image ${this.image}: ${message}${startHint(message)}`,
      { provider: 'container', image: this.image, dockerHost: process.env.DOCKER_HOST ?? null },
      { cause: lastError },
    );
  }
}

/** What to do about a failed start, from the engine's message. */
function startHint(message: string): string {
  if (/ryuk/i.test(message)) {
    return '; testcontainers could not start its reaper (ryuk) image: set TESTCONTAINERS_RYUK_DISABLED=true (container-engine.sh exports it)';
  }
  if (/pull|not found|no such image|manifest|not known/i.test(message)) {
    return '; the image is not available and cannot be pulled here: set REDIS_CONTAINER_IMAGE to a local image (container-engine.sh builds one)';
  }
  return '';
}

/** The container was created but Redis never logged readiness (e.g. the port was taken meanwhile). */
function isReadinessFailure(err: unknown): boolean {
  const msg = (err as Error | undefined)?.message ?? '';
  return /Log message .* not received|Log stream ended/.test(msg);
}
