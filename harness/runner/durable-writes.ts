/**
 * A scenario's `setup.durableWrites: 'replicas'`, passed to the orchestrator and every worker
 * (inline: the core option `durableWrites`; worker processes: `fanin worker --durable-writes`).
 * TODO(issue 14, durableWrites): the core's option is being added on another branch. Until the
 * core CLI lists `--durable-writes` (the sign that the core has it), a scenario that sets it is a
 * ConfigError instead of a run that silently does without it (the core's strict options would
 * refuse the unknown field anyway).
 */
import { ConfigError } from '../../src/index.js';
import { coreCliSupports } from './cli-support.js';

export function durableWritesOf(setup: { durableWrites?: 'replicas' }): { durableWrites?: 'replicas' } {
  if (!setup.durableWrites) return {};
  if (!coreCliSupports('worker', 'durable-writes')) {
    throw new ConfigError("setup.durableWrites needs the core's durableWrites option (a WAIT after commits), which this core does not have yet: remove durableWrites from the scenario", { durableWrites: setup.durableWrites });
  }
  return { durableWrites: setup.durableWrites };
}
