/**
 * What one recompute reports: returned by the admin route, logged, kept in D1. Plain data with
 * no platform types, so the benchmarks that drive the job over HTTP read the same shape.
 */
export interface AlsSummary {
  warmStart: boolean;
  iterations: number;
  factors: number;
  /** Whether the factors were kept in KV for the next run's warm start. */
  modelKept: boolean;
}

export interface RecomputeSummary {
  modelVersion: string;
  generatedAt: number;
  trigger: string;
  users: number;
  items: number;
  /** Distinct user-item pairs in the log. */
  interactions: number;
  /** Users whose recommendations were recomputed (the rest kept theirs). */
  scoredUsers: number;
  nodes: number;
  /** Distinct directed social edges. */
  edges: number;
  logRows: number;
  deletedRows: number;
  /** Null when the recommendation half did not run (see failures). */
  als: AlsSummary | null;
  pagerankIterations: number | null;
  /** Wall time per phase, ms (see PhaseTimer: compute-only phases read 0 when deployed). */
  timingsMs: Record<string, number>;
  /** Parts not published this run (the previous version keeps serving), with the reason. */
  failures: { part: string; code: string; message: string }[];
}
