import type { EventType } from '../src/config.ts';
import type { Event } from '../src/events/schema.ts';
import { HOUR_MS, WINDOW_MS, windowStart } from '../src/events/window.ts';

/**
 * The per-user object's SQLite storage: its schema, row types and every statement, in one
 * place. Callers run multi-step writes inside `transactionSync`, so a crash leaves either all
 * of a step or none of it.
 *
 * Tables
 * - windows:      5-second window counts per event type; `late` counts events that arrived
 *                 after the window had closed. Kept for the window history (1 h by default).
 * - window_state: one row per window; `processed` once its close was handled (live message
 *                 sent, counts rolled up into `hours`).
 * - hours:        hourly roll-ups of processed windows, kept for 30 days by default.
 * - seen_ids:     client event ids of the last 24 hours, for deduplication.
 * - pending_*:    what the interaction log has not been sent yet, as deltas per window.
 * - outbox:       batches cut from pending rows, waiting for the Queue to accept them.
 * - meta:         this object's user id and the next outbox sequence number.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS windows (
  start INTEGER NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL, late INTEGER NOT NULL,
  PRIMARY KEY (start, type)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS window_state (
  start INTEGER PRIMARY KEY, processed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS window_state_open ON window_state (processed, start);
CREATE TABLE IF NOT EXISTS hours (
  start INTEGER NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL, late INTEGER NOT NULL,
  PRIMARY KEY (start, type)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS seen_ids (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_ids_at ON seen_ids (at);
CREATE TABLE IF NOT EXISTS pending_interactions (
  item_id TEXT NOT NULL, window_start INTEGER NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (item_id, window_start, type)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_engagements (
  target_id TEXT NOT NULL, window_start INTEGER NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (target_id, window_start, type)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_follows (
  target_id TEXT PRIMARY KEY, following INTEGER NOT NULL, at INTEGER NOT NULL,
  window_start INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY, body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

export type WindowCountRow = {
  start: number;
  type: EventType;
  count: number;
  late: number;
};

export interface WindowView {
  start: number;
  end: number;
  counts: Partial<Record<EventType, number>>;
  late: number;
}

export type OutboxRow = {
  seq: number;
  body: string;
  attempts: number;
};

export class ActivityStore {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.createTables();
  }

  /** Creates the tables that do not exist: at construction, and again after an erasure. */
  createTables(): void {
    this.#sql.exec(SCHEMA);
  }

  // ---- meta

  getMeta(key: string): string | null {
    const row = this.#sql
      .exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)
      .toArray()[0];
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.#sql.exec(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      key,
      value,
    );
  }

  // ---- dedup

  /** True when `id` was seen before; records it otherwise. */
  checkAndRememberId(id: string, now: number): boolean {
    const seen = this.#sql.exec('SELECT 1 FROM seen_ids WHERE id = ?', id).toArray().length > 0;
    if (!seen) this.#sql.exec('INSERT INTO seen_ids (id, at) VALUES (?, ?)', id, now);
    return seen;
  }

  // ---- windows

  isProcessed(start: number): boolean {
    const row = this.#sql
      .exec<{ processed: number }>('SELECT processed FROM window_state WHERE start = ?', start)
      .toArray()[0];
    return row?.processed === 1;
  }

  /** Adds `count` events of `type` to a window; a processed window also updates its hour. */
  addToWindow(start: number, type: EventType, count: number, late: number): void {
    this.#sql.exec(
      `INSERT INTO windows (start, type, count, late) VALUES (?, ?, ?, ?)
       ON CONFLICT (start, type) DO UPDATE SET count = count + excluded.count, late = late + excluded.late`,
      start,
      type,
      count,
      late,
    );
    this.#sql.exec(
      'INSERT INTO window_state (start) VALUES (?) ON CONFLICT (start) DO NOTHING',
      start,
    );
    if (this.isProcessed(start)) this.#addToHour(start, type, count, late);
  }

  #addToHour(start: number, type: EventType, count: number, late: number): void {
    this.#sql.exec(
      `INSERT INTO hours (start, type, count, late) VALUES (?, ?, ?, ?)
       ON CONFLICT (start, type) DO UPDATE SET count = count + excluded.count, late = late + excluded.late`,
      windowStart(start, HOUR_MS),
      type,
      count,
      late,
    );
  }

  /** Unprocessed windows whose close time (start + 5 s + lateness) is at or before `now`. */
  dueWindows(now: number, allowedLatenessMs: number): number[] {
    return this.#sql
      .exec<{ start: number }>(
        'SELECT start FROM window_state WHERE processed = 0 AND start <= ? ORDER BY start',
        now - WINDOW_MS - allowedLatenessMs,
      )
      .toArray()
      .map((r) => r.start);
  }

  /** Marks a window processed and rolls its counts into its hour. */
  processWindow(start: number): WindowView {
    this.#sql.exec('UPDATE window_state SET processed = 1 WHERE start = ?', start);
    const rows = this.#sql
      .exec<WindowCountRow>('SELECT start, type, count, late FROM windows WHERE start = ?', start)
      .toArray();
    for (const row of rows) this.#addToHour(row.start, row.type, row.count, row.late);
    return toViews(rows)[0] ?? { start, end: start + WINDOW_MS, counts: {}, late: 0 };
  }

  /** The newest `limit` windows with at least one event, newest first. */
  recentWindows(limit: number): WindowView[] {
    const rows = this.#sql
      .exec<WindowCountRow>(
        `SELECT start, type, count, late FROM windows
         WHERE start IN (SELECT start FROM window_state ORDER BY start DESC LIMIT ?)
         ORDER BY start DESC`,
        limit,
      )
      .toArray();
    return toViews(rows);
  }

  /** The newest `limit` hourly roll-ups, newest first. */
  recentHours(limit: number): WindowView[] {
    const rows = this.#sql
      .exec<WindowCountRow>(
        `SELECT start, type, count, late FROM hours
         WHERE start IN (SELECT DISTINCT start FROM hours ORDER BY start DESC LIMIT ?)
         ORDER BY start DESC`,
        limit,
      )
      .toArray();
    return toViews(rows, HOUR_MS);
  }

  earliestOpenWindow(): number | null {
    return this.#min('SELECT MIN(start) AS v FROM window_state WHERE processed = 0');
  }

  // ---- pending log rows

  /** Adds `count` events like `event` (same type, item and target) to the pending log rows. */
  addPending(event: Event, start: number, count: number): void {
    if (event.type === 'follow' || event.type === 'unfollow') {
      // The follow state is the one of the latest event time, whatever the arrival order.
      this.#sql.exec(
        `INSERT INTO pending_follows (target_id, following, at, window_start) VALUES (?, ?, ?, ?)
         ON CONFLICT (target_id) DO UPDATE SET following = excluded.following, at = excluded.at,
           window_start = MAX(window_start, excluded.window_start)
         WHERE excluded.at >= at`,
        event.targetUserId as string,
        event.type === 'follow' ? 1 : 0,
        event.time,
        start,
      );
      return;
    }
    this.#sql.exec(
      `INSERT INTO pending_interactions (item_id, window_start, type, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (item_id, window_start, type) DO UPDATE SET count = count + excluded.count`,
      event.itemId as string,
      start,
      event.type,
      count,
    );
    if (event.targetUserId !== undefined) {
      this.#sql.exec(
        `INSERT INTO pending_engagements (target_id, window_start, type, count) VALUES (?, ?, ?, ?)
         ON CONFLICT (target_id, window_start, type) DO UPDATE SET count = count + excluded.count`,
        event.targetUserId,
        start,
        event.type,
        count,
      );
    }
  }

  /** Pending rows of windows that started at or before `lastStart`, removed from pending. */
  takePending(lastStart: number): {
    interactions: [string, number, EventType, number][];
    engagements: [string, number, EventType, number][];
    follows: [string, 0 | 1, number][];
  } {
    const interactions = this.#sql
      .exec<{ item_id: string; window_start: number; type: EventType; count: number }>(
        'SELECT item_id, window_start, type, count FROM pending_interactions WHERE window_start <= ?',
        lastStart,
      )
      .toArray()
      .map((r): [string, number, EventType, number] => [
        r.item_id,
        r.window_start,
        r.type,
        r.count,
      ]);
    const engagements = this.#sql
      .exec<{ target_id: string; window_start: number; type: EventType; count: number }>(
        'SELECT target_id, window_start, type, count FROM pending_engagements WHERE window_start <= ?',
        lastStart,
      )
      .toArray()
      .map((r): [string, number, EventType, number] => [
        r.target_id,
        r.window_start,
        r.type,
        r.count,
      ]);
    const follows = this.#sql
      .exec<{ target_id: string; following: 0 | 1; at: number }>(
        'SELECT target_id, following, at FROM pending_follows WHERE window_start <= ?',
        lastStart,
      )
      .toArray()
      .map((r): [string, 0 | 1, number] => [r.target_id, r.following, r.at]);

    this.#sql.exec('DELETE FROM pending_interactions WHERE window_start <= ?', lastStart);
    this.#sql.exec('DELETE FROM pending_engagements WHERE window_start <= ?', lastStart);
    this.#sql.exec('DELETE FROM pending_follows WHERE window_start <= ?', lastStart);
    return { interactions, engagements, follows };
  }

  earliestPending(): number | null {
    return this.#min(
      `SELECT MIN(v) AS v FROM (
         SELECT MIN(window_start) AS v FROM pending_interactions
         UNION ALL SELECT MIN(window_start) FROM pending_engagements
         UNION ALL SELECT MIN(window_start) FROM pending_follows)`,
    );
  }

  // ---- outbox

  enqueueOutbox(body: string): number {
    const seq = Number(this.getMeta('next_seq') ?? '1');
    this.#sql.exec('INSERT INTO outbox (seq, body) VALUES (?, ?)', seq, body);
    this.setMeta('next_seq', String(seq + 1));
    return seq;
  }

  nextSeq(): number {
    return Number(this.getMeta('next_seq') ?? '1');
  }

  dueOutbox(now: number): OutboxRow[] {
    return this.#sql
      .exec<OutboxRow>(
        'SELECT seq, body, attempts FROM outbox WHERE next_attempt <= ? ORDER BY seq',
        now,
      )
      .toArray();
  }

  deleteOutbox(seqs: number[]): void {
    for (const seq of seqs) this.#sql.exec('DELETE FROM outbox WHERE seq = ?', seq);
  }

  deferOutbox(seqs: number[], nextAttempt: number): void {
    for (const seq of seqs) {
      this.#sql.exec(
        'UPDATE outbox SET attempts = attempts + 1, next_attempt = ? WHERE seq = ?',
        nextAttempt,
        seq,
      );
    }
  }

  earliestOutboxAttempt(): number | null {
    return this.#min('SELECT MIN(next_attempt) AS v FROM outbox');
  }

  // ---- retention

  /** Deletes history past its retention; returns when the next row will expire, if any. */
  prune(
    now: number,
    windowHistoryMs: number,
    hourlyHistoryMs: number,
    dedupMs: number,
  ): number | null {
    const windowCutoff = now - windowHistoryMs;
    this.#sql.exec('DELETE FROM windows WHERE start < ?', windowCutoff);
    this.#sql.exec('DELETE FROM window_state WHERE start < ? AND processed = 1', windowCutoff);
    this.#sql.exec('DELETE FROM hours WHERE start < ?', now - hourlyHistoryMs);
    this.#sql.exec('DELETE FROM seen_ids WHERE at < ?', now - dedupMs);

    const expiries = [
      add(
        this.#min('SELECT MIN(start) AS v FROM window_state WHERE processed = 1'),
        windowHistoryMs,
      ),
      add(this.#min('SELECT MIN(start) AS v FROM hours'), hourlyHistoryMs),
      add(this.#min('SELECT MIN(at) AS v FROM seen_ids'), dedupMs),
    ].filter((t): t is number => t !== null);
    return expiries.length > 0 ? Math.min(...expiries) : null;
  }

  /** Row counts per table, for tests and the erasure report. */
  sizes(): Record<string, number> {
    const tables = ['windows', 'hours', 'seen_ids', 'pending_interactions', 'outbox'];
    return Object.fromEntries(
      tables.map((t) => [
        t,
        this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`).one().n,
      ]),
    );
  }

  #min(query: string): number | null {
    const row = this.#sql.exec<{ v: number | null }>(query).toArray()[0];
    return row?.v ?? null;
  }
}

function add(time: number | null, ms: number): number | null {
  return time === null ? null : time + ms;
}

/** Groups per-type rows (sorted by start) into one view per window. */
function toViews(rows: WindowCountRow[], size = WINDOW_MS): WindowView[] {
  const views: WindowView[] = [];
  for (const row of rows) {
    let view = views[views.length - 1];
    if (view?.start !== row.start) {
      view = { start: row.start, end: row.start + size, counts: {}, late: 0 };
      views.push(view);
    }
    view.counts[row.type] = (view.counts[row.type] ?? 0) + row.count;
    view.late += row.late;
  }
  return views;
}
