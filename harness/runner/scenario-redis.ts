/**
 * The Redis a scenario runs on, from the flags and the scenario's setup: a scenario with
 * `setup.cluster` starts its own local Redis Cluster (its faults kill, fail over and reshard
 * nodes the harness started), so `--redis` or another `--provider` is a configuration error
 * naming the fix; a scenario with the TCP fault proxy (`setup.proxy`) cannot run on a cluster.
 */
import { ConfigError, detectCluster } from '../../src/index.js';
import { createProvider, type RedisProvider } from '../redis/index.js';
import type { Scenario } from '../scenario/define-scenario.js';

export interface RedisFlags {
  redis?: string;
  provider?: 'embedded' | 'container' | 'url' | 'cluster';
}

export async function scenarioProvider(flags: RedisFlags, scenario: Pick<Scenario, 'name' | 'setup'>): Promise<RedisProvider> {
  const { setup, name } = scenario;
  if (setup.cluster) {
    const given = flags.redis !== undefined ? '--redis' : flags.provider !== undefined && flags.provider !== 'cluster' ? `--provider ${flags.provider}` : null;
    if (given) {
      throw new ConfigError(
        `scenario ${name} starts its own local Redis Cluster (setup.cluster: ${setup.cluster.masters} masters, ${setup.cluster.replicas} replica(s) each) to kill, fail over or reshard its nodes: ` +
          `drop ${given} (and FANIN_REDIS_URL), or give --provider cluster`,
        { scenario: name, given },
      );
    }
    return createProvider({ provider: 'cluster', cluster: setup.cluster, persistence: setup.redisPersistence });
  }
  if (setup.proxy && (flags.provider === 'cluster' || (flags.redis !== undefined && await detectCluster(flags.redis)))) {
    throw new ConfigError(
      `scenario ${name} puts the TCP fault proxy between the components and Redis (setup.proxy), which cannot work on a Redis Cluster: ` +
        'the proxy forwards to one node and MOVED/ASK redirections send the clients straight to the other nodes, around it. ' +
        'Run it on a single server: drop --provider cluster, or give --redis a URL of a server without cluster mode',
      { scenario: name },
    );
  }
  return createProvider({ redis: flags.redis, provider: flags.provider, persistence: setup.redisPersistence });
}
