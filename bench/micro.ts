/**
 * Micro benchmarks (tinybench) on a fresh loopback Redis: one stage hop per transport
 * (enqueue → claim → load → complete+ack), one fan-in script call (recording a completion),
 * and an artifact store + load.
 */
import { Redis } from 'ioredis';
import { Bench } from 'tinybench';
import { EmbeddedRedisProvider } from '../harness/redis/embedded.js';
import { compactSpec, completeTaskCall, CONSUMER_GROUP, contentHash, createTransport, Keyspace, parsePipelineSpec, runScript, taskId } from '../src/index.js';

export interface MicroResult {
  name: string;
  opsPerSec: number;
  meanUs: number;
  p99Us: number;
  samples: number;
}

const ONE_STAGE = JSON.stringify(compactSpec(parsePipelineSpec({ name: 'hop', stages: [{ name: 'hop', width: 1 }] })));
const FAN_IN_WIDTH = 6000;
const WIDE = JSON.stringify(compactSpec(parsePipelineSpec({ name: 'wide', stages: [{ name: 'wide', width: FAN_IN_WIDTH }] })));

export async function runMicro(): Promise<MicroResult[]> {
  const server = await new EmbeddedRedisProvider().start();
  const redis = new Redis(server.url);
  const blocking = new Redis(server.url);
  const bench = new Bench({ time: 1000, warmupTime: 200 });
  let n = 0;
  try {
    for (const kind of ['streams', 'lists'] as const) {
      const keys = new Keyspace({ prefix: `micro-${kind}`, shards: 1 });
      const transport = createTransport(kind);
      await transport.prepareQueue(redis, keys, 0, 'hop');
      const input = contentHash({ x: 1 });
      bench.add(`stage hop (${kind}): enqueue → claim → load → complete + ack`, async () => {
        const exp = `h${++n}`;
        await runScript(redis, 'submit', [keys.experiment(exp), keys.artifacts(exp), keys.deadlines(0), keys.queue(0, 'hop'), keys.queueIndex(0, 'hop'), keys.task(exp, taskId(exp, 0, 0))], [
          transport.luaMode, exp, ONE_STAGE, '{}', input.hash, input.json, Date.now(),
        ]);
        const [d] = await transport.claim(blocking, keys, 0, 'hop', 'w1', 1, 1000);
        await runScript(redis, 'load-task', [d.message!.taskKey, keys.experiment(exp), keys.stageResults(exp, 0), keys.artifacts(exp)], [1000, 0]);
        const out = contentHash({ exp });
        const hopKeys = [
          keys.experiment(exp), keys.stageResults(exp, 0), keys.artifacts(exp), transport.ackKey(keys, 0, 'hop', 'w1'), keys.queueIndex(0, 'hop'),
          keys.deadlines(0), keys.done(exp), keys.ended(0), keys.queue(0, 'hop'), keys.queueIndex(0, 'hop'),
        ];
        const call = completeTaskCall(transport.luaMode, [{ keys: hopKeys, args: [d.ackId, exp, 0, 0, out.hash, out.json, -1, Date.now(), `tok-${n}`] }]);
        const [r] = await runScript<[string][]>(redis, 'complete-task', call.keys, call.args);
        if (r[0] !== 'completed') throw new Error(`hop ended ${r[0]}`);
      });
    }
    const keys = new Keyspace({ prefix: 'micro-fanin', shards: 1 });
    const exp = 'wide-1';
    const input = contentHash({ wide: true });
    await runScript(redis, 'submit', [keys.experiment(exp), keys.artifacts(exp), keys.deadlines(0), keys.queue(0, 'wide'), keys.queueIndex(0, 'wide'),
      ...Array.from({ length: FAN_IN_WIDTH }, (_, i) => keys.task(exp, taskId(exp, 0, i)))], ['stream', exp, WIDE, '{}', input.hash, input.json, Date.now()]);
    let index = 0;
    const h = contentHash({ r: 1 });
    bench.add('fan-in script call (complete-task recording one of 6,000)', async () => {
      const wideKeys = [keys.experiment(exp), keys.stageResults(exp, 0), keys.artifacts(exp), '', keys.queueIndex(0, 'wide'), keys.deadlines(0), keys.done(exp), keys.ended(0), keys.queue(0, 'wide'), keys.queueIndex(0, 'wide')];
      const call = completeTaskCall('stream', [{
        keys: wideKeys, args: ['', exp, 0, index % (FAN_IN_WIDTH - 1), h.hash, h.json, -1, Date.now(), `tok-${index++}`],
      }]);
      const [r] = await runScript<[string][]>(redis, 'complete-task', call.keys, call.args);
      if (r[0] !== 'recorded' && r[0] !== 'duplicate') throw new Error(`fan-in call ended ${r[0]}`);
    });
    const payload = { scores: Array.from({ length: 50 }, (_, i) => ({ dim: `d${i % 6}`, score: i / 50, evidence: ['term', 'other'] })) };
    bench.add('artifact store + load (content hash, HSET, HGET, parse)', async () => {
      const { hash, json } = contentHash({ ...payload, n: ++n });
      await redis.hset(keys.artifacts(`store-${n}`), hash, json);
      JSON.parse((await redis.hget(keys.artifacts(`store-${n}`), hash))!);
    });
    await bench.run();
    return bench.tasks.map((t) => ({
      name: t.name,
      opsPerSec: Math.round(t.result?.hz ?? 0),
      meanUs: +((t.result?.mean ?? 0) * 1000).toFixed(1),
      p99Us: +((t.result?.p99 ?? 0) * 1000).toFixed(1),
      samples: t.result?.samples.length ?? 0,
    }));
  } finally {
    redis.disconnect();
    blocking.disconnect();
    await server.stop();
  }
}

export function microMarkdown(rs: MicroResult[]): string {
  return ['| micro benchmark | ops/s | mean µs | p99 µs |', '|---|---:|---:|---:|', ...rs.map((r) => `| ${r.name} | ${r.opsPerSec} | ${r.meanUs} | ${r.p99Us} |`)].join('\n');
}
