/** cluster-key-slot (a dependency of ioredis, which routes cluster commands with it) has no types. */
declare module 'cluster-key-slot' {
  export default function calculateSlot(key: string | Buffer): number;
}
