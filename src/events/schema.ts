import { z } from 'zod';
import { EVENT_TYPES, type EventType } from '../config.ts';
import {
  correctedEventTime,
  isInRange,
  MAX_AGE_MS,
  MAX_FUTURE_MS,
  parseTimestamp,
} from './time.ts';

/** An event that passed validation, with its event time resolved. */
export interface Event {
  id?: string;
  type: EventType;
  userId: string;
  itemId?: string;
  targetUserId?: string;
  /** Event time in epoch ms, after skew correction. */
  time: number;
  campaign?: string;
  recId?: string;
  value?: number;
  properties?: Record<string, string | number | boolean | null>;
}

/** Why one event of a batch was refused; codes are stable, messages are for people. */
export const RejectionCode = {
  notAnObject: 'not_an_object',
  missingField: 'missing_field',
  invalidField: 'invalid_field',
  unknownType: 'unknown_type',
  timestampOutOfRange: 'timestamp_out_of_range',
  rateLimited: 'rate_limited',
  unavailable: 'unavailable',
} as const;
export type RejectionCode = (typeof RejectionCode)[keyof typeof RejectionCode];

export interface Rejection {
  index: number;
  code: RejectionCode;
  message: string;
}

export type EventResult =
  | { ok: true; event: Event }
  | { ok: false; code: RejectionCode; message: string };

export const ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;
export const MAX_PROPERTIES_BYTES = 2048;

const NEEDS_TARGET: ReadonlySet<EventType> = new Set(['follow', 'unfollow']);
const MAY_HAVE_TARGET: ReadonlySet<EventType> = new Set(['like', 'comment', 'share']);

const entityId = z.string().regex(ID_PATTERN, 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ -');
const label = z.string().max(128, 'must be at most 128 characters');
const timestampField = z.union([z.number(), z.string()]);
const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const eventShape = z.object({
  id: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters').optional(),
  type: z.string(),
  userId: entityId,
  itemId: entityId.optional(),
  targetUserId: entityId.optional(),
  timestamp: timestampField.optional(),
  sentAt: timestampField.optional(),
  campaign: label.optional(),
  recId: label.optional(),
  value: z.number().refine(Number.isFinite, 'must be a finite number').optional(),
  properties: z.record(z.string(), propertyValue, 'must be a flat object').optional(),
});

/** Validates one raw event received at `receivedAt`. Never throws. */
export function parseEvent(raw: unknown, receivedAt: number): EventResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject(RejectionCode.notAnObject, 'each event must be a JSON object');
  }

  const parsed = eventShape.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'event');
    const missing =
      issue?.code === 'invalid_type' && (raw as Record<string, unknown>)[field] === undefined;
    if (missing) return reject(RejectionCode.missingField, `${field} is required`);
    if (field === 'properties') {
      return reject(
        RejectionCode.invalidField,
        'properties must be a flat object of strings, numbers, booleans or null',
      );
    }
    return reject(RejectionCode.invalidField, `${field} ${describeIssue(issue)}`);
  }
  const e = parsed.data;

  if (!(EVENT_TYPES as readonly string[]).includes(e.type)) {
    return reject(
      RejectionCode.unknownType,
      `type '${e.type}' is not one of ${EVENT_TYPES.join(', ')}`,
    );
  }
  const type = e.type as EventType;
  if (NEEDS_TARGET.has(type)) {
    if (e.targetUserId === undefined) {
      return reject(RejectionCode.missingField, `targetUserId is required for type '${type}'`);
    }
  } else {
    if (e.itemId === undefined) {
      return reject(RejectionCode.missingField, `itemId is required for type '${type}'`);
    }
    if (e.targetUserId !== undefined && !MAY_HAVE_TARGET.has(type)) {
      return reject(RejectionCode.invalidField, `targetUserId is not allowed for type '${type}'`);
    }
  }

  if (e.properties !== undefined) {
    const bytes = new TextEncoder().encode(JSON.stringify(e.properties)).length;
    if (bytes > MAX_PROPERTIES_BYTES) {
      return reject(RejectionCode.invalidField, `properties is ${bytes} bytes; the limit is 2048`);
    }
  }

  const timestamp = e.timestamp === undefined ? null : parseTimestamp(e.timestamp);
  if (e.timestamp !== undefined && timestamp === null) {
    return reject(
      RejectionCode.invalidField,
      'timestamp must be epoch milliseconds or ISO-8601 with a zone',
    );
  }
  const sentAt = e.sentAt === undefined ? null : parseTimestamp(e.sentAt);
  if (e.sentAt !== undefined && sentAt === null) {
    return reject(
      RejectionCode.invalidField,
      'sentAt must be epoch milliseconds or ISO-8601 with a zone',
    );
  }
  const time = correctedEventTime(timestamp, sentAt, receivedAt);
  if (!isInRange(time, receivedAt)) {
    return reject(
      RejectionCode.timestampOutOfRange,
      `event time ${new Date(time).toISOString()} is more than ${MAX_FUTURE_MS / 60_000} minutes ` +
        `ahead or ${MAX_AGE_MS / 3_600_000} hours behind the time of receipt`,
    );
  }

  const event: Event = { type, userId: e.userId, time };
  if (e.id !== undefined) event.id = e.id;
  if (e.itemId !== undefined) event.itemId = e.itemId;
  if (e.targetUserId !== undefined) event.targetUserId = e.targetUserId;
  if (e.campaign !== undefined) event.campaign = e.campaign;
  if (e.recId !== undefined) event.recId = e.recId;
  if (e.value !== undefined) event.value = e.value;
  if (e.properties !== undefined) event.properties = e.properties;
  return { ok: true, event };
}

function reject(code: RejectionCode, message: string): EventResult {
  return { ok: false, code, message };
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is invalid';
  if (issue.code === 'invalid_type') return `must be of type ${issue.expected}`;
  if (issue.code === 'invalid_union') return 'has the wrong type';
  return issue.message;
}
