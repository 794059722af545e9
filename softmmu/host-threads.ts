/**
 * The main thread runs the guest; V8's worker threads (TurboFan for hot
 * JavaScript and for wasm tier-up, the parallel parts of the garbage
 * collector) run beside it. Node starts four of them, and on a two-CPU host
 * they took the main thread's CPU: on bench-mix-small the main thread waited
 * ~0.1 s of its ~0.55 s in the run queue. At the lowest priority (nice 19)
 * they still have the other CPU, and take the main thread's only when it
 * sleeps or waits for them. Their work is background work: a region runs its
 * baseline code a little longer.
 *
 * Linux only (threads are /proc/self/task entries, and setpriority() on a
 * thread id moves that thread alone). Not with one CPU, where the workers
 * would get almost nothing and hot code would stay in baseline code.
 */
import { readdirSync } from 'node:fs';
import { availableParallelism, constants, setPriority } from 'node:os';

/** Lower the priority of every thread of this process but the main thread; returns how many. */
export function deprioritizeHelperThreads(): number {
  if (process.platform !== 'linux' || availableParallelism() < 2) return 0;
  let tasks: string[];
  try { tasks = readdirSync('/proc/self/task'); } catch { return 0; }
  let n = 0;
  for (const t of tasks) {
    const tid = Number(t);
    if (tid === process.pid || !Number.isInteger(tid)) continue;
    try { setPriority(tid, constants.priority.PRIORITY_LOW); n++; } catch { /* gone, or not allowed: leave it */ }
  }
  return n;
}
