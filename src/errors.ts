/**
 * Typed errors. Callers match on `code`, never on message text.
 * Every error carries a `context` object (what was involved) and an optional `cause`.
 */
export type ErrorCode =
  | 'INVALID_CONFIG'
  /** an optional package fanin needs for what was asked is not installed (tsx, testcontainers) */
  | 'MISSING_DEPENDENCY'
  | 'INVALID_SPEC'
  | 'INVALID_INPUT'
  | 'INVALID_FRAMEWORK'
  | 'INVALID_CORPUS'
  | 'PARTIAL_INPUT'
  | 'WRONG_KEY_TYPE'
  | 'REDIS_UNAVAILABLE'
  | 'REDIS_ERROR'
  /** Redis refused a write: maxmemory reached under the noeviction policy */
  | 'REDIS_OOM'
  /** a Redis Cluster refused a command while a slot moves (TRYAGAIN, ASK, MOVED, CLUSTERDOWN past
   *  the client's redirections): nothing ran; retried with backoff, this is what remains */
  | 'CLUSTER_BUSY'
  /** `durableWrites: 'replicas'`: a committed write was not acknowledged by enough replicas */
  | 'NOT_DURABLE'
  | 'POISON_MESSAGE'
  | 'AGENT_FAILED'
  | 'UNKNOWN_STAGE'
  | 'NOT_FOUND'
  | 'WAIT_TIMEOUT'
  | 'SHUTDOWN'
  /** a task's agent was aborted because its experiment ended or its stage finished without it */
  | 'CANCELLED'
  /** a task's agent was aborted because its lease passed to another worker (this one stalled) */
  | 'LEASE_LOST'
  /** the hold on a task was last confirmed too long ago to start its agent (the process stalled
   *  since): the worker asks Redis again first */
  | 'STALE_HOLD';

export class FaninError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

/** Configuration, pipeline spec or CLI input that cannot be used. */
export class ConfigError extends FaninError {
  constructor(message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('INVALID_CONFIG', message, context, options);
  }
}

/**
 * An optional package is not installed but what was asked needs it (tsx to load a `.ts` module,
 * testcontainers for the container provider). `context.package` names it, `context.install` the
 * command that installs it.
 */
export class MissingDependencyError extends FaninError {
  constructor(pkg: string, neededFor: string, options?: { cause?: unknown }) {
    const install = `npm install --save-dev ${pkg}`;
    super('MISSING_DEPENDENCY', `${neededFor} needs the package "${pkg}", which is not installed; fix: \`${install}\``, { package: pkg, install }, options);
  }
}

/** A pipeline spec that is not a valid DAG of stages. */
export class SpecError extends FaninError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('INVALID_SPEC', message, context);
  }
}

/** Domain input (corpus, framework, stage input) that an agent refuses. Not retryable. */
export class InputError extends FaninError {
  constructor(
    code: 'INVALID_INPUT' | 'INVALID_FRAMEWORK' | 'INVALID_CORPUS' | 'PARTIAL_INPUT',
    message: string,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, context, options);
  }
}

/** A key exists with a Redis type other than the one this component expects. */
export class KeyTypeError extends FaninError {
  readonly key: string;
  readonly actual: string;
  readonly expected: string;
  constructor(key: string, actual: string, expected: string) {
    super(
      'WRONG_KEY_TYPE',
      `key "${key}" is a ${actual} but this component expects a ${expected}; ` +
        `another component (or a different transport) is using the same key`,
      { key, actual, expected },
    );
    this.key = key;
    this.actual = actual;
    this.expected = expected;
  }
}

/**
 * Why a connection to Redis failed (see src/redis/connect-error.ts): refused, no answer in time,
 * a refused password (WRONGPASS/NOAUTH), an ACL denial (NOPERM), a TLS verification or handshake
 * failure, a server that does not speak RESP, a database index the server does not have, or an
 * unknown host; 'unknown' otherwise.
 */
export type RedisFailureReason = 'refused' | 'timeout' | 'auth' | 'acl' | 'tls' | 'not-redis' | 'no-db' | 'dns' | 'closed' | 'unknown';

/** Redis could not be reached, or a command failed for infrastructure reasons. */
export class RedisUnavailableError extends FaninError {
  /** why connecting failed, when this error comes from connecting (also in `context.reason`) */
  readonly reason: RedisFailureReason | undefined;
  constructor(message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('REDIS_UNAVAILABLE', message, context, options);
    this.reason = context.reason as RedisFailureReason | undefined;
  }
}

/**
 * Redis refused a write because it is out of memory (`maxmemory` reached with the `noeviction`
 * policy). Nothing was written; the caller retries once memory frees (or gives up at its
 * deadline). The Redis reply is the cause.
 */
export class RedisOomError extends FaninError {
  constructor(operation: string, options: { cause: unknown }) {
    super(
      'REDIS_OOM',
      `Redis is out of memory and refused ${operation} (maxmemory reached under noeviction): free memory or raise maxmemory`,
      { operation },
      options,
    );
  }
}

/**
 * A Redis Cluster kept refusing a command while a slot moved (a multi-key script over a
 * half-migrated slot answers TRYAGAIN; ioredis gives up after its redirections with "Too many
 * Cluster redirections"). The command did not run. `context.lastError` is the cluster's last
 * refusal (TRYAGAIN, ASK, MOVED, CLUSTERDOWN); the error ioredis or Redis gave is the cause.
 */
export class ClusterBusyError extends FaninError {
  constructor(operation: string, lastError: string, retriedForMs: number, options: { cause: unknown }) {
    super(
      'CLUSTER_BUSY',
      `the Redis Cluster refused ${operation} (${lastError}) for ${retriedForMs} ms while a slot moved: retry later, or check that the slot migration completes (CLUSTER SETSLOT ... NODE)`,
      { operation, lastError, retriedForMs },
      options,
    );
  }
}

/**
 * `durableWrites: 'replicas'`: a write committed on its master but `WAIT` saw fewer replicas
 * acknowledge it than required within the timeout, so a failover now could lose it.
 */
export class NotDurableError extends FaninError {
  constructor(
    operation: string, acknowledged: number, required: number, timeoutMs: number,
    /** the experiment a submit created (resubmitting this id is idempotent) */
    experimentId?: string, options?: { cause?: unknown },
  ) {
    super(
      'NOT_DURABLE',
      `${operation} committed but only ${acknowledged} of ${required} replicas acknowledged it within ${timeoutMs} ms (WAIT)` +
        `${experimentId === undefined ? '' : `; resubmit experiment ${experimentId} (same id: idempotent) once they do`}: check the replicas' links to their master`,
      { operation, acknowledged, required, timeoutMs, ...(experimentId === undefined ? {} : { experimentId }) },
      options,
    );
  }
}

/** A queue message that cannot be processed (unparseable, unknown stage, task data gone). */
export class PoisonMessageError extends FaninError {
  constructor(message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('POISON_MESSAGE', message, context, options);
  }
}

/**
 * Thrown by (or wrapped around) an agent failure. `retryable: false` sends the task to the
 * dead letter at once instead of retrying it.
 */
export class AgentError extends FaninError {
  readonly retryable: boolean;
  constructor(message: string, opts: { retryable?: boolean; context?: Record<string, unknown>; cause?: unknown } = {}) {
    super('AGENT_FAILED', message, opts.context ?? {}, { cause: opts.cause });
    this.retryable = opts.retryable ?? true;
  }
}

export class WaitTimeoutError extends FaninError {
  constructor(experimentId: string, timeoutMs: number) {
    super('WAIT_TIMEOUT', `experiment ${experimentId} did not finish within ${timeoutMs} ms`, { experimentId, timeoutMs });
  }
}

export class NotFoundError extends FaninError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('NOT_FOUND', message, context);
  }
}

/** Whether a failure thrown by an agent should be retried. Input errors never are. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof AgentError) return err.retryable;
  if (err instanceof InputError) return false;
  return true;
}

export function describeError(err: unknown): string {
  if (err instanceof FaninError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
