/**
 * How far apart two processes' timestamps of one instant may be. Events are stamped by the
 * emitting process's clock (anchored to the real-time clock once at start-up) or by Redis's
 * TIME; on a loaded machine a process's anchor is off by several ms (a claim stamped 6.5 ms
 * before the Redis commit that enqueued it was seen). Orders across clocks closer than this are
 * not evidence.
 */
export const CROSS_CLOCK_TOLERANCE_MS = 50;
