/** CPU time (user + system, ms) of other processes, from /proc/<pid>/stat (Linux). */
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Cumulative CPU ms of `pid`, or 0 when it is gone (or /proc is missing). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the ")" that closes the command name: state is field 3, utime 14, stime 15
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
  } catch {
    return 0;
  }
}
