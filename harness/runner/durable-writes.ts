/**
 * A scenario's `setup.durableWrites: 'replicas'`, passed to the orchestrator, the supervising
 * orchestrator process and every worker (inline: the core option `durableWrites`; processes:
 * `fanin worker|orchestrator --durable-writes`).
 */
export function durableWritesOf(setup: { durableWrites?: 'replicas' }): { durableWrites?: 'replicas' } {
  return setup.durableWrites ? { durableWrites: setup.durableWrites } : {};
}
