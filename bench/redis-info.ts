/** What the benchmarks read from a redis-server's INFO: its CPU seconds and its command counts. */
import type { Redis } from 'ioredis';

/** used_cpu_sys + used_cpu_user of the server (INFO cpu), in seconds. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const v = (k: string) => Number(new RegExp(`^${k}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return v('used_cpu_sys') + v('used_cpu_user');
}

/** Calls per command since the last CONFIG RESETSTAT (INFO commandstats; includes the commands Lua scripts ran). */
export async function commandStats(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const out = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out.set(m[1], Number(m[2]));
  return out;
}

/** Bytes the server read from and wrote to its clients since the last CONFIG RESETSTAT (INFO stats). */
export async function netBytes(redis: Redis): Promise<{ input: number; output: number }> {
  const info = await redis.info('stats');
  const v = (k: string) => Number(new RegExp(`^${k}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return { input: v('total_net_input_bytes'), output: v('total_net_output_bytes') };
}
