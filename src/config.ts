/**
 * Options every core component shares: where Redis is, which transport, which keyspace.
 * Validated with zod so a bad value is a clear ConfigError naming the option.
 */
import { z } from 'zod';
import { ConfigError } from './errors.js';
import type { EventSink } from './events.js';

export const coreOptionsSchema = z.object({
  /** `redis://` or `rediss://` URL. */
  redisUrl: z.string().min(1),
  transport: z.enum(['streams', 'lists']).default('streams'),
  /** Key namespace (see keys.ts). */
  prefix: z.string().default('fanin'),
  /** Number of shards (≥ 1); an experiment belongs to one, workers consume from all. */
  shards: z.number().int().min(1).max(1024).default(1),
  /**
   * Approximate MAXLEN of the dead-letter streams (streams transport). Stage queues are never
   * trimmed: their entries are deleted when acknowledged, so no task is ever cut off.
   */
  maxStreamLength: z.number().int().min(100).default(100_000),
  connectTimeoutMs: z.number().int().min(1).default(5_000),
  commandTimeoutMs: z.number().int().min(1).default(5_000),
  /**
   * 'replicas': every commit that acknowledges progress (submit, task completion and the fan-in
   * it advances, failure, dead letter, stage-deadline expiry) is followed by `WAIT` on the
   * connection that made it, and is reported done only once `durableReplicas` replicas hold it
   * (see lua/durable-script.ts, docs/cluster.md). 'none' (default): acknowledged by the master.
   */
  durableWrites: z.enum(['none', 'replicas']).default('none'),
  /**
   * true (default): the components of one process that use the same Redis and timeouts send
   * their ordinary commands through one shared, auto-pipelined connection (redis/shared-client.ts);
   * false: each component has its own. Blocking reads always have their own connections.
   */
  shareConnection: z.boolean().default(true),
  /** Replicas that must acknowledge a commit under durableWrites 'replicas'. */
  durableReplicas: z.number().int().min(1).max(64).default(1),
  /** WAIT's timeout per round (ms); below commandTimeoutMs, as WAIT blocks its connection. */
  durableTimeoutMs: z.number().int().min(1).max(60_000).default(1_000),
});

export type CoreOptionsInput = z.input<typeof coreOptionsSchema> & { events?: EventSink };
export type CoreOptions = z.output<typeof coreOptionsSchema> & { events?: EventSink };

export function parseOptions<S extends z.ZodTypeAny>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid ${what} options: ${issues.join('; ')}`, { issues });
  }
  return r.data;
}
