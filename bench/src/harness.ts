// Interleaved sampling: every round runs each case once for a fixed slice of time, so drift in
// machine load (other processes, thermal, GC) hits all cases alike; medians drop the outliers.

export interface BenchCase {
  readonly library: string;
  readonly operation: string;
  /** Length of the token this case produces or reads, in characters. */
  readonly tokenLength?: number;
  /** One operation; async cases return a promise. */
  readonly run?: () => unknown;
  readonly async?: boolean;
  /** Instead of `run`: measures one slice elsewhere (another process) and returns its ops/s. */
  readonly sample?: (sliceMs: number) => Promise<number>;
}

export interface BenchResult {
  readonly library: string;
  readonly operation: string;
  readonly tokenLength?: number;
  readonly opsPerSecond: number;
  readonly samples: readonly number[];
}

export interface HarnessOptions {
  readonly rounds: number;
  readonly sliceMs: number;
  readonly warmupMs: number;
}

export async function runInterleaved(cases: readonly BenchCase[], options: HarnessOptions): Promise<BenchResult[]> {
  for (const c of cases) await sample(c, options.warmupMs);
  const samples = cases.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round++) {
    // Rotate the starting case so no case always runs right after the same neighbour.
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length;
      (samples[i] as number[]).push(await sample(cases[i] as BenchCase, options.sliceMs));
    }
  }
  return cases.map((c, i) => ({
    library: c.library,
    operation: c.operation,
    tokenLength: c.tokenLength,
    opsPerSecond: median(samples[i] as number[]),
    samples: samples[i] as number[],
  }));
}

async function sample(c: BenchCase, sliceMs: number): Promise<number> {
  if (c.sample) return c.sample(sliceMs);
  const run = c.run as () => unknown;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  const budget = BigInt(Math.round(sliceMs * 1e6));
  let ops = 0;
  let batch = 64;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < budget) {
    if (c.async) {
      for (let i = 0; i < batch; i++) await run();
    } else {
      for (let i = 0; i < batch; i++) run();
    }
    ops += batch;
    elapsed = process.hrtime.bigint() - start;
    if (batch < 4096) batch *= 2;
  }
  return (ops * 1e9) / Number(elapsed);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
