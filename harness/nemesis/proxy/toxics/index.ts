/** Every toxic type the proxy knows, by Toxiproxy's type name. */
import { bandwidthToxic } from './bandwidth.js';
import { latencyToxic } from './latency.js';
import { resetPeerToxic } from './reset-peer.js';
import { slicerToxic } from './slicer.js';
import { timeoutToxic } from './timeout.js';

export const toxicDefinitions = {
  latency: latencyToxic,
  bandwidth: bandwidthToxic,
  reset_peer: resetPeerToxic,
  timeout: timeoutToxic,
  slicer: slicerToxic,
} as const;

export type ToxicDefinitions = typeof toxicDefinitions;
export type ToxicType = keyof ToxicDefinitions;

export const toxicTypes = Object.keys(toxicDefinitions) as ToxicType[];

export function isToxicType(value: unknown): value is ToxicType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(toxicDefinitions, value);
}
