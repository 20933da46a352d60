import { log } from './logger.ts';

/**
 * Everything Starling can be told through Worker variables and secrets, with its default.
 * Parsed once per isolate and environment object; a malformed value fails loudly at the first
 * request instead of being half-applied.
 */
export const DEV_SITE_KEY = 'dev-site-key';
export const DEV_USER_TOKEN_SECRET = 'dev-user-secret';
export const DEV_ADMIN_TOKEN = 'dev-admin-token';

export const EVENT_TYPES = [
  'view',
  'click',
  'like',
  'comment',
  'share',
  'follow',
  'unfollow',
  'purchase',
  'impression',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface SiteKey {
  /** Origins (scheme://host[:port]) allowed to send browser requests; '*' allows any. */
  origins: readonly string[];
}

export interface Config {
  siteKeys: ReadonlyMap<string, SiteKey>;
  userTokenSecret: string;
  adminToken: string;
  /** Grace after a window's end during which its events are not late (ms). */
  allowedLatenessMs: number;
  /** How long closed 5-second windows are kept (ms). */
  windowHistoryMs: number;
  /** How long hourly roll-ups are kept (ms). */
  hourlyHistoryMs: number;
  /** Weight of each event type as a preference signal. */
  weights: Readonly<Record<EventType, number>>;
  /** Half-life of a user-item or social weight (ms). */
  halfLifeMs: number;
  /** Age after which interaction log rows are deleted (ms). */
  retentionMs: number;
  /** Per-user token bucket: sustained events per second and burst size. */
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  /** Implicit ALS: factors k, λ, confidence c = 1 + α·ln(1 + w/ε), iterations cold and warm. */
  als: AlsConfig;
  /** Recommendations kept per user and similar items kept per item. */
  topN: number;
  /** How long the edge may cache snapshot reads from KV (s); 0 reads KV every time. */
  kvCacheTtlSeconds: number;
  /** Log rows above which a half of the recompute job refuses to run (README, "Scale"). */
  maxJobRows: number;
}

/** The variables Starling reads; all optional. */
export interface ConfigVars {
  SITE_KEYS?: string;
  USER_TOKEN_SECRET?: string;
  ADMIN_TOKEN?: string;
  WINDOW_LATENESS_MS?: string;
  WINDOW_HISTORY_MS?: string;
  HOURLY_HISTORY_DAYS?: string;
  EVENT_WEIGHTS?: string;
  HALF_LIFE_DAYS?: string;
  RETENTION_DAYS?: string;
  RATE_LIMIT_PER_SECOND?: string;
  RATE_LIMIT_BURST?: string;
  ALS_FACTORS?: string;
  ALS_REGULARIZATION?: string;
  ALS_ALPHA?: string;
  ALS_EPSILON?: string;
  ALS_ITERATIONS?: string;
  ALS_WARM_ITERATIONS?: string;
  TOP_N?: string;
  KV_CACHE_TTL_SECONDS?: string;
  RECOMPUTE_MAX_ROWS?: string;
}

const DAY_MS = 86_400_000;

export interface AlsConfig {
  factors: number;
  regularization: number;
  alpha: number;
  epsilon: number;
  iterations: number;
  warmIterations: number;
}

/**
 * The ALS defaults, chosen on the evaluation (`npm run eval`), which trains with these: log
 * confidence tames a user who views one item a thousand times, and λ = 10 suits the few
 * hundred thousand pairs of a site's log. A run from scratch trains 5 iterations, which keeps
 * the first run at the reference scale inside 30 s of CPU (`npm run bench -- job`); every
 * later run continues from the previous factors for 3 more, so the model keeps converging.
 * On the evaluation, 5 iterations from scratch come within 3% of 15 (Recall@10 on Last.fm).
 */
export const DEFAULT_ALS: Readonly<AlsConfig> = {
  factors: 32,
  regularization: 10,
  alpha: 1,
  epsilon: 1,
  iterations: 5,
  warmIterations: 3,
};

export const DEFAULT_WEIGHTS: Readonly<Record<EventType, number>> = {
  view: 1,
  click: 2,
  like: 4,
  comment: 4,
  share: 6,
  purchase: 10,
  follow: 0,
  unfollow: 0,
  impression: 0,
};

export class ConfigError extends Error {
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const cache = new WeakMap<object, Config>();

/** The configuration for this environment, parsed on first use. */
export function getConfig(env: ConfigVars): Config {
  let config = cache.get(env);
  if (!config) {
    config = parseConfig(env);
    cache.set(env, config);
  }
  return config;
}

export function parseConfig(env: ConfigVars): Config {
  const defaulted = [
    env.SITE_KEYS ? null : 'SITE_KEYS',
    env.USER_TOKEN_SECRET ? null : 'USER_TOKEN_SECRET',
    env.ADMIN_TOKEN ? null : 'ADMIN_TOKEN',
  ].filter((name) => name !== null);
  if (defaulted.length > 0) {
    log('warn', 'config.development_defaults', { variables: defaulted });
  }

  return {
    siteKeys: parseSiteKeys(env.SITE_KEYS),
    userTokenSecret: env.USER_TOKEN_SECRET || DEV_USER_TOKEN_SECRET,
    adminToken: env.ADMIN_TOKEN || DEV_ADMIN_TOKEN,
    allowedLatenessMs: numberVar(env, 'WINDOW_LATENESS_MS', 5_000, 0, 3_600_000),
    windowHistoryMs: numberVar(env, 'WINDOW_HISTORY_MS', 3_600_000, 60_000, 7 * DAY_MS),
    hourlyHistoryMs: numberVar(env, 'HOURLY_HISTORY_DAYS', 30, 1, 400) * DAY_MS,
    weights: parseWeights(env.EVENT_WEIGHTS),
    halfLifeMs: numberVar(env, 'HALF_LIFE_DAYS', 7, 0.01, 3650) * DAY_MS,
    retentionMs: numberVar(env, 'RETENTION_DAYS', 90, 1, 3650) * DAY_MS,
    rateLimitPerSecond: numberVar(env, 'RATE_LIMIT_PER_SECOND', 200, 1, 1_000_000),
    rateLimitBurst: numberVar(env, 'RATE_LIMIT_BURST', 1_000, 100, 10_000_000),
    als: {
      factors: Math.round(numberVar(env, 'ALS_FACTORS', DEFAULT_ALS.factors, 1, 256)),
      regularization: numberVar(env, 'ALS_REGULARIZATION', DEFAULT_ALS.regularization, 0, 1e6),
      alpha: numberVar(env, 'ALS_ALPHA', DEFAULT_ALS.alpha, 0, 1e6),
      epsilon: numberVar(env, 'ALS_EPSILON', DEFAULT_ALS.epsilon, 1e-6, 1e6),
      iterations: Math.round(numberVar(env, 'ALS_ITERATIONS', DEFAULT_ALS.iterations, 1, 100)),
      warmIterations: Math.round(
        numberVar(env, 'ALS_WARM_ITERATIONS', DEFAULT_ALS.warmIterations, 1, 100),
      ),
    },
    topN: Math.round(numberVar(env, 'TOP_N', 50, 1, 200)),
    kvCacheTtlSeconds: kvCacheTtl(env),
    maxJobRows: numberVar(env, 'RECOMPUTE_MAX_ROWS', 2_000_000, 1, 1e9),
  };
}

/** KV refuses a cacheTtl under 30 s; 0 turns edge caching off. */
function kvCacheTtl(env: ConfigVars): number {
  const ttl = numberVar(env, 'KV_CACHE_TTL_SECONDS', 30, 0, 86_400);
  if (ttl !== 0 && ttl < 30) {
    throw new ConfigError('KV_CACHE_TTL_SECONDS', 'must be 0 (no edge cache) or at least 30');
  }
  return ttl;
}

function numberVar(
  env: ConfigVars,
  name: keyof ConfigVars,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(name, `expected a number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** A variable holding a JSON object, or a ConfigError saying what is wrong with it. */
function jsonObject(name: keyof ConfigVars, raw: string, expected: string): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, 'is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(name, expected);
  }
  return parsed;
}

/**
 * SITE_KEYS is JSON: `{ "<key>": { "origins": ["https://shop.example"] }, ... }`.
 * Unset, the development key allows any origin.
 */
function parseSiteKeys(raw: string | undefined): Map<string, SiteKey> {
  if (!raw) return new Map([[DEV_SITE_KEY, { origins: ['*'] }]]);

  const parsed = jsonObject('SITE_KEYS', raw, 'expected an object keyed by site key');

  const keys = new Map<string, SiteKey>();
  for (const [key, value] of Object.entries(parsed)) {
    const origins = (value as { origins?: unknown } | null)?.origins;
    if (!Array.isArray(origins) || !origins.every((o) => typeof o === 'string')) {
      throw new ConfigError('SITE_KEYS', 'every key needs "origins": an array of strings');
    }
    keys.set(key, { origins: origins.map((o) => o.replace(/\/+$/, '').toLowerCase()) });
  }
  return keys;
}

/** EVENT_WEIGHTS is JSON overriding some of the default weights: `{ "view": 0.5 }`. */
function parseWeights(raw: string | undefined): Record<EventType, number> {
  const weights = { ...DEFAULT_WEIGHTS };
  if (!raw) return weights;

  const parsed = jsonObject('EVENT_WEIGHTS', raw, 'expected an object of event type to weight');
  for (const [type, weight] of Object.entries(parsed)) {
    if (!(EVENT_TYPES as readonly string[]).includes(type)) {
      throw new ConfigError('EVENT_WEIGHTS', `unknown event type '${type}'`);
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new ConfigError('EVENT_WEIGHTS', `weight of '${type}' must be a number >= 0`);
    }
    weights[type as EventType] = weight;
  }
  return weights;
}
