-- The interaction log: what each user did, per 5-second window, as written by the queue
-- consumer. Rows are counts; weights and decay are applied by the recompute job, so changing
-- a weight or the half-life needs no migration of data.

CREATE TABLE interactions (
  user_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  type TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (user_id, item_id, window_start, type)
) WITHOUT ROWID;
CREATE INDEX interactions_window ON interactions (window_start);

-- Likes, comments and shares of another user's content: weighted social edges user -> target.
CREATE TABLE engagements (
  user_id TEXT NOT NULL,
  target_id TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  type TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (user_id, target_id, window_start, type)
) WITHOUT ROWID;
CREATE INDEX engagements_target ON engagements (target_id);
CREATE INDEX engagements_window ON engagements (window_start);

-- Follow state per pair; the event with the latest event time wins, whatever the arrival order.
CREATE TABLE follows (
  user_id TEXT NOT NULL,
  target_id TEXT NOT NULL,
  following INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (user_id, target_id)
) WITHOUT ROWID;
CREATE INDEX follows_target ON follows (target_id);

-- Batches already applied, so a redelivered queue message changes nothing.
CREATE TABLE applied_batches (
  batch_id TEXT PRIMARY KEY,
  applied_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX applied_batches_at ON applied_batches (applied_at);

-- Messages the queue gave up on, kept for an operator (GET /v1/admin/dead-letters).
CREATE TABLE dead_letters (
  message_id TEXT PRIMARY KEY,
  queue TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  body TEXT NOT NULL
);

-- One row per recompute run, with its summary, for operators and stats.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  status TEXT NOT NULL,
  summary TEXT
);

-- Users erased by DELETE /v1/users/{id}: log batches their objects produced before the erasure
-- (still in the queue) are dropped instead of bringing the data back.
CREATE TABLE erased_users (
  user_id TEXT PRIMARY KEY,
  erased_at INTEGER NOT NULL
) WITHOUT ROWID;
