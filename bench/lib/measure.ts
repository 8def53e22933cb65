/**
 * Benchmark helpers shared by the bench scripts: run an async operation N times at a given
 * concurrency, with warm-up, and report throughput and latency percentiles.
 */
import {performance} from 'node:perf_hooks';

/** One measured series. */
export interface Measurement {
  name: string;
  operations: number;
  concurrency: number;
  seconds: number;
  opsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Share of the time the main thread's event loop was busy (1 = saturated). */
  mainThreadBusy: number;
  /** CPU time of this process (all its threads) per operation, in ms. */
  cpuMsPerOperation: number;
}

/**
 * The p-th percentile (0–100) of already sorted values (nearest rank).
 *
 * @returns the value, or NaN for no values.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if(sorted.length === 0) {
    return Number.NaN;
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Runs `operation(i)` for i in [0, operations) with `concurrency` in flight, after `warmup` runs.
 *
 * @returns throughput and latency.
 */
export async function measure({name, operation, operations, concurrency = 1, warmup = 0}: {
  name: string; operation: (index: number) => Promise<unknown> | unknown; operations: number;
  concurrency?: number; warmup?: number;
}): Promise<Measurement> {
  for(let index = 0; index < warmup; index++) {
    await operation(index);
  }
  const latencies = new Float64Array(operations);
  let next = 0;
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({length: Math.min(concurrency, operations)}, async () => {
    while(next < operations) {
      const index = next++;
      const begin = performance.now();
      await operation(index);
      latencies[index] = performance.now() - begin;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const {utilization} = performance.eventLoopUtilization(loopBefore);
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort();
  return {name, operations, concurrency, seconds, opsPerSecond: operations / seconds,
    p50: percentile(latencies, 50), p99: percentile(latencies, 99), mainThreadBusy: utilization,
    cpuMsPerOperation: (cpu.user + cpu.system) / 1000 / operations};
}

/** Resident set size and V8 heap in MB, after a full GC when `--expose-gc` is on. */
export function memoryMb(): {rss: number; heapUsed: number} {
  (globalThis as {gc?: () => void}).gc?.();
  const {rss, heapUsed} = process.memoryUsage();
  return {rss: rss / 1048576, heapUsed: heapUsed / 1048576};
}
