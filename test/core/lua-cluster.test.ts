/**
 * Every Lua script on a real local Redis Cluster (3 masters): the Lua script tests
 * (lua-scripts.test.ts, lua-delivery-scripts.test.ts) run again with an ioredis Cluster
 * client. Redis Cluster refuses a script whose KEYS span slots (CROSSSLOT) and a key not on
 * the node running it, so passing here means each script's KEYS share one slot.
 */
import { useClusterForRedis } from '../support/redis.js';

useClusterForRedis();
await import('./lua-scripts.test.js');
await import('./lua-delivery-scripts.test.js');
