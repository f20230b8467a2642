/**
 * The nemesis's TCP fault-injection proxy: a loopback TcpProxy with Toxiproxy-style toxics
 * (latency, bandwidth, reset_peer, timeout, slicer), specs validated with zod.
 *
 * TODO(nemesis): when a real Toxiproxy server is reachable (TOXIPROXY_URL), drive it with the
 * same ToxicSpec objects through `toxiproxy-node-client` (not installed; the specs already use
 * Toxiproxy's field names, so they can be sent as they are after parseToxicSpec). Differences
 * to keep in mind: this proxy's `timeout` toxic holds data and delivers it once removed, where
 * Toxiproxy drops it; stats and resetAllConnections() have no Toxiproxy equivalent (there,
 * disable and re-enable the proxy).
 */
export { TcpProxy, type TcpProxyOptions, type TcpProxyStats } from './tcp-proxy.js';
export { parseToxicSpec, type ResolvedToxic, type ToxicSpec } from './toxic-spec.js';
export { isLoopbackHost, upstreamFromRedisUrl, withHostPort, type HostPort } from './loopback.js';
export type { StreamDirection } from './toxic.js';
export { toxicTypes, type ToxicType } from './toxics/index.js';
