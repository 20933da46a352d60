/**
 * Wall time per named phase of a run, in ms. In a deployed Worker the clock advances only at
 * I/O, so phases that only compute read 0 there; under wrangler dev and in Node they are real.
 */
export class PhaseTimer {
  readonly timings: Record<string, number> = {};

  async run<T>(name: string, work: () => T | Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.timings[name] = (this.timings[name] ?? 0) + Date.now() - started;
    }
  }
}
