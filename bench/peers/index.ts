/** Factory for the peer designs the comparative benchmark runs next to fanin's transports. */
import { BareStreamsDesign, type BareStreamsDesignOptions } from './bare-streams-design.js';
import { BullmqDesign, type BullmqDesignOptions } from './bullmq-design.js';
import type { Design } from './design.js';
import { PollingDesign, type PollingDesignOptions } from './polling-design.js';

export type PeerName = 'bullmq' | 'polling' | 'bare';
export const PEERS: readonly PeerName[] = ['bullmq', 'polling', 'bare'];
type PeerOptions = BullmqDesignOptions & PollingDesignOptions & BareStreamsDesignOptions;

export function createPeer(name: 'bullmq', opts?: BullmqDesignOptions): BullmqDesign;
export function createPeer(name: 'polling', opts?: PollingDesignOptions): PollingDesign;
export function createPeer(name: 'bare', opts?: BareStreamsDesignOptions): BareStreamsDesign;
export function createPeer(name: PeerName, opts?: PeerOptions): BullmqDesign | PollingDesign | BareStreamsDesign;
export function createPeer(name: PeerName, opts: PeerOptions = {}): BullmqDesign | PollingDesign | BareStreamsDesign {
  switch (name) {
    case 'bare':
      return new BareStreamsDesign(opts);
    case 'bullmq':
      return new BullmqDesign(opts);
    case 'polling':
      return new PollingDesign(opts);
    default:
      throw new Error(`unknown peer design: ${String(name)}`);
  }
}

export type { Design, DesignStartOptions, RunExperimentOptions } from './design.js';
export { BareStreamsDesign, BullmqDesign, PollingDesign };
export * as agents from './agents.js';
