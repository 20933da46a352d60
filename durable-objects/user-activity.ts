import { DurableObject } from 'cloudflare:workers';
import { type Config, getConfig } from '../src/config.ts';
import type { Event } from '../src/events/schema.ts';
import { isClosed, windowClosesAt, windowStart } from '../src/events/window.ts';
import { ActivityStore, type WindowView } from './activity-store.ts';
import { flushOutbox, stageClosedWindows } from './log-outbox.ts';
import { TokenBucket } from './token-bucket.ts';

/** Client event ids are remembered this long for deduplication. */
export const DEDUP_MS = 24 * 3_600_000;
/** Housekeeping alarms (pruning) are coarsened to at most one a minute. */
const PRUNE_GRANULARITY_MS = 60_000;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** Events refused by the per-user rate limit, and when to try again. */
  rateLimited: number;
  retryAfterSeconds: number;
}

export interface ActivityView {
  windows: (WindowView & { closed: boolean })[];
}

/**
 * One object per user (named by the user id): counts the user's events in 5-second event-time
 * windows, closes them with an alarm, pushes each closed window to live WebSockets and hands
 * its counts to the interaction log.
 */
export class UserActivity extends DurableObject<Env> {
  /** Processing time; tests replace it to move time without sleeping. */
  clock: () => number = () => Date.now();
  /** Where closed windows go; tests swap in a queue that fails. */
  logQueue: Queue;

  readonly #store: ActivityStore;
  readonly #config: Config;
  readonly #bucket: TokenBucket;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new ActivityStore(ctx.storage.sql);
    this.logQueue = env.INTERACTIONS;
    this.#config = getConfig(env);
    this.#bucket = new TokenBucket(this.#config.rateLimitBurst, this.#config.rateLimitPerSecond);
  }

  /**
   * Stores a user's events. The caller's reply (the 202) cannot overtake the write: every
   * statement below runs in one synchronous SQLite transaction, and the runtime's output gate
   * holds this method's result until that transaction is durable.
   */
  async ingest(userId: string, events: Event[]): Promise<IngestResult> {
    const now = this.clock();
    const allowed = this.#bucket.take(events.length, now);
    const admitted = events.slice(0, allowed);
    const result: IngestResult = {
      accepted: 0,
      duplicates: 0,
      rateLimited: events.length - allowed,
      retryAfterSeconds: this.#bucket.secondsUntil(events.length - allowed, now),
    };

    const lateness = this.#config.allowedLatenessMs;
    let due = Number.POSITIVE_INFINITY;
    this.ctx.storage.transactionSync(() => {
      if (this.#store.getMeta('user_id') === null) {
        this.#store.setMeta('user_id', userId);
        // Wall time, not the injectable clock: it is compared with erasure times in D1.
        this.#store.setMeta('epoch', String(Date.now()));
      }
      // Events of one call are summed per window and type, and per log row, before they
      // touch SQLite: a batch of a hundred events is a few dozen statements, not hundreds.
      const windows = new Map<
        string,
        { start: number; type: Event['type']; n: number; late: number }
      >();
      const rows = new Map<string, { event: Event; start: number; n: number }>();
      for (const event of admitted) {
        if (event.id !== undefined && this.#store.checkAndRememberId(event.id, now)) {
          result.duplicates++;
          continue;
        }
        const start = windowStart(event.time);
        const late = isClosed(start, now, lateness) ? 1 : 0;
        const w = windows.get(`${start} ${event.type}`);
        if (w) {
          w.n++;
          w.late += late;
        } else {
          windows.set(`${start} ${event.type}`, { start, type: event.type, n: 1, late });
        }
        if (event.type === 'follow' || event.type === 'unfollow') {
          // Follow state is last-writer-wins by event time: each event is offered in turn.
          this.#store.addPending(event, start, 1);
        } else {
          const key = `${event.itemId} ${event.targetUserId ?? ''} ${start} ${event.type}`;
          const row = rows.get(key);
          if (row) row.n++;
          else rows.set(key, { event, start, n: 1 });
        }
        // A late event's window is closed already: its log rows are due at once.
        due = Math.min(due, Math.max(windowClosesAt(start, lateness), now));
        result.accepted++;
      }
      for (const w of windows.values()) this.#store.addToWindow(w.start, w.type, w.n, w.late);
      for (const row of rows.values()) this.#store.addPending(row.event, row.start, row.n);
    });

    // Only ever brought forward here; the alarm itself prunes and plans the rest, so the hot
    // path pays one alarm lookup, not the housekeeping queries.
    if (result.accepted > 0) await this.#alarmNoLaterThan(due);
    return result;
  }

  /** The newest windows with events, open and closed, newest first. */
  async activity(limit: number, resolution: 'window' | 'hour' = 'window'): Promise<ActivityView> {
    const now = this.clock();
    const views =
      resolution === 'hour' ? this.#store.recentHours(limit) : this.#store.recentWindows(limit);
    return {
      windows: views.map((w) => ({
        ...w,
        closed:
          resolution === 'hour'
            ? w.end <= now
            : isClosed(w.start, now, this.#config.allowedLatenessMs),
      })),
    };
  }

  /** Row counts of the object's tables (for tests and operators). */
  async storageSizes(): Promise<Record<string, number>> {
    return this.#store.sizes();
  }

  /** Erasure: drops every row and alarm of this user and closes live connections. */
  async erase(): Promise<{ windows: number; hours: number; pending: number }> {
    const sizes = this.#store.sizes();
    for (const ws of this.ctx.getWebSockets()) ws.close(1000, 'user erased');
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // deleteAll drops the tables too; the object stays usable for the user's next events.
    this.#store.createTables();
    return {
      windows: sizes.windows ?? 0,
      hours: sizes.hours ?? 0,
      pending: (sizes.pending_interactions ?? 0) + (sizes.outbox ?? 0),
    };
  }

  /** Live feed: the Worker forwards the already-authorised WebSocket upgrade here. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected a WebSocket upgrade', { status: 426 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    // Hibernation API: the object may be evicted while sockets stay open.
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // The feed is one-way; a text "ping" is answered so clients can check the connection.
    if (message === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // Completes the closing handshake; 1005/1006 are reserved and cannot be sent back.
    if (code !== 1005 && code !== 1006) ws.close(code, 'closing');
  }

  /**
   * Closes due windows (live message, hourly roll-up), sends closed windows' counts to the
   * interaction log, prunes history, and sets the next alarm.
   */
  override async alarm(): Promise<void> {
    const now = this.clock();
    const closed = this.ctx.storage.transactionSync(() => {
      const due = this.#store.dueWindows(now, this.#config.allowedLatenessMs);
      const views = due.map((start) => this.#store.processWindow(start));
      stageClosedWindows(this.#store, now, this.#config.allowedLatenessMs);
      return views;
    });

    this.#broadcast(closed);
    await flushOutbox(this.#store, this.logQueue, now);
    await this.#scheduleAlarm(now);
  }

  #broadcast(windows: WindowView[]): void {
    const sockets = this.ctx.getWebSockets();
    if (sockets.length === 0) return;
    for (const w of windows) {
      const message = JSON.stringify({
        type: 'window',
        start: w.start,
        end: w.end,
        counts: w.counts,
      });
      for (const ws of sockets) {
        try {
          ws.send(message);
        } catch {
          // A socket that closed between listing and sending misses this window only;
          // its close handler cleans it up.
        }
      }
    }
  }

  /** Sets the alarm to the earliest thing that needs doing, or clears it when nothing does. */
  async #scheduleAlarm(now: number): Promise<void> {
    const lateness = this.#config.allowedLatenessMs;
    const pruneAt = this.#store.prune(
      now,
      this.#config.windowHistoryMs,
      this.#config.hourlyHistoryMs,
      DEDUP_MS,
    );
    const open = this.#store.earliestOpenWindow();
    const pending = this.#store.earliestPending();
    const candidates = [
      open === null ? null : windowClosesAt(open, lateness),
      pending === null ? null : Math.max(windowClosesAt(pending, lateness), now),
      this.#store.earliestOutboxAttempt(),
      pruneAt === null ? null : Math.max(pruneAt, now + PRUNE_GRANULARITY_MS),
    ].filter((t): t is number => t !== null);

    if (candidates.length === 0) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    await this.#alarmNoLaterThan(Math.min(...candidates));
  }

  async #alarmNoLaterThan(time: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > time) await this.ctx.storage.setAlarm(time);
  }
}
