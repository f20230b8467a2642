/** Toxic types the proxy understands (named like Toxiproxy's). */
export const TOXIC_TYPES = ['latency', 'bandwidth', 'reset_peer', 'timeout', 'slicer'];
