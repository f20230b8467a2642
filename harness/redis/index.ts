/**
 * Picks the Redis the harness runs against: `--redis URL` → an existing server (url
 * provider); otherwise `--provider embedded|container|cluster` (default embedded; cluster: a
 * local 3-master Redis Cluster, harness/redis/cluster.ts).
 */
import { ConfigError } from '../../src/index.js';
import { ClusterRedisProvider } from './cluster.js';
import { ContainerRedisProvider } from './container.js';
import { EmbeddedRedisProvider } from './embedded.js';
import type { RedisProvider } from './provider.js';
import { UrlRedisProvider } from './url.js';

export type { FaultKind, RedisProvider, StartedRedis } from './provider.js';
export { ClusterRedisProvider, type ClusterNode, type StartedCluster } from './cluster.js';
export { ContainerRedisProvider, containerEngineAvailable } from './container.js';
export { EmbeddedRedisProvider } from './embedded.js';
export { UrlRedisProvider } from './url.js';
export { deleteKeysByPattern, escapeGlob, prefixPattern } from './cleanup.js';

export const PROVIDER_NAMES = ['embedded', 'container', 'url', 'cluster'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface ProviderChoice {
  /** An existing server's URL; means the url provider. */
  redis?: string;
  provider?: ProviderName;
  /** embedded and cluster: 'aof' keeps data across a restart (appendfsync always) */
  persistence?: 'none' | 'aof';
  /** cluster: masters and replicas per master (default 3 and 0) */
  cluster?: { masters?: number; replicas?: number };
}

export function createProvider(opts: ProviderChoice = {}): RedisProvider {
  const name: string = opts.provider ?? (opts.redis !== undefined ? 'url' : 'embedded');
  if (!(PROVIDER_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(`unknown Redis provider "${name}": known providers are ${PROVIDER_NAMES.join(', ')}`, {
      provider: name,
      known: [...PROVIDER_NAMES],
    });
  }
  if (opts.redis !== undefined && name !== 'url') {
    throw new ConfigError(`--redis names an existing server; it cannot be combined with --provider ${name}`, {
      provider: name,
    });
  }
  switch (name as ProviderName) {
    case 'url':
      if (opts.redis === undefined) throw new ConfigError('the url provider needs --redis redis://host:port');
      return new UrlRedisProvider(opts.redis);
    case 'container':
      return new ContainerRedisProvider();
    case 'cluster':
      return new ClusterRedisProvider({ ...opts.cluster, persistence: opts.persistence ?? 'none' });
    case 'embedded':
      return new EmbeddedRedisProvider(opts.persistence ?? 'none');
  }
}
