/**
 * Every scenario of the catalog, on both transports, with a small N: the run reaches the
 * scenario's expected verdict (the failure-detected ones included), and each injected fault is
 * recorded in the history.
 */
import { describe, expect, it } from 'vitest';
import { knownScenarios, loadScenario } from '../../../harness/scenario/load-scenario.js';
import { diagnose } from '../../../harness/runner/diagnose.js';

const SCENARIOS = knownScenarios();

describe('the scenario catalog', () => {
  it('has the scenarios of the catalog', () => {
    expect(SCENARIOS).toEqual([
      'agent-failure', 'backlog', 'client-kill', 'duplicate-delivery', 'graceful-restart', 'happy-path', 'hostile-messages', 'long-agent',
      'memory-full', 'net-blackhole', 'net-latency', 'net-reset', 'net-slicer', 'orchestrator-kill', 'poison-message', 'redis-pause',
      'redis-restart-aof', 'redis-restart-volatile', 'cluster-node-restart', 'cluster-slot-migration', 'cluster-failover', 'cluster-failover-durable', 'short-retention', 'slow-agent', 'wide-fan-out', 'worker-kill', 'worker-pause', 'wrong-type-key',
    ].sort());
  });
});

/** each cluster scenario starts a cluster of its own: test/harness/cluster/cluster-scenarios.test.ts runs them */
const SINGLE_SERVER = SCENARIOS.filter((s) => !s.startsWith('cluster-'));

describe.each(['streams', 'lists'] as const)('scenarios over %s', (transport) => {
  it.each(SINGLE_SERVER)('%s reaches its expected verdict', async (name) => {
    const scenario = await loadScenario(name);
    const { results, history } = await diagnose({ scenario: name, transport, runs: 3 });
    const verdict = results.verdict.passed ? 'pass' : 'fail';
    expect({ name, verdict, reasons: verdict === scenario.expect.verdict ? [] : results.verdict.reasons }).toEqual({ name, verdict: scenario.expect.verdict, reasons: [] });
    const injected = history.filter((e) => e.type === 'nemesis');
    expect(injected).toHaveLength(scenario.nemesis.length);
    expect(injected.every((e) => !/failed:/.test(e.cause ?? ''))).toBe(true);
    if (scenario.recoverable) {
      expect(results.metrics).toMatchObject({ completion_rate: 1, lost: 0, duplicates: 0, pending: 0 });
    }
  }, 180_000); // an upper bound only: graceful-restart takes ~30 s idle and over 60 s on a machine busy with two suites
});

