/** Factory for the peer designs the comparative benchmark runs next to fanin's transports. */
import { BullmqDesign, type BullmqDesignOptions } from './bullmq-design.js';
import type { Design } from './design.js';
import { PollingDesign, type PollingDesignOptions } from './polling-design.js';

export type PeerName = 'bullmq' | 'polling';
export const PEERS: readonly PeerName[] = ['bullmq', 'polling'];

export function createPeer(name: 'bullmq', opts?: BullmqDesignOptions): BullmqDesign;
export function createPeer(name: 'polling', opts?: PollingDesignOptions): PollingDesign;
export function createPeer(name: PeerName, opts?: BullmqDesignOptions & PollingDesignOptions): BullmqDesign | PollingDesign;
export function createPeer(name: PeerName, opts: BullmqDesignOptions & PollingDesignOptions = {}): BullmqDesign | PollingDesign {
  switch (name) {
    case 'bullmq':
      return new BullmqDesign(opts);
    case 'polling':
      return new PollingDesign(opts);
    default:
      throw new Error(`unknown peer design: ${String(name)}`);
  }
}

export type { Design, DesignStartOptions, RunExperimentOptions } from './design.js';
export { BullmqDesign, PollingDesign };
export * as agents from './agents.js';
