import { EVENT_TYPES } from '../config.ts';
import { ErrorCode } from './errors.ts';

/**
 * The OpenAPI 3.1 document of the v1 API, served at GET /v1/openapi.json. Written by hand next
 * to the routes: the routes are few, and the document names the same codes the code throws.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });

/** Error responses a route may give, by status. */
const errorsOf = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { $ref: `#/components/responses/${ERROR_RESPONSES[status] ?? 'Error'}` },
    ]),
  );

const ERROR_RESPONSES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  429: 'RateLimited',
};

const limit = (fallback: number, maximum: number) => ({
  name: 'limit',
  in: 'query',
  schema: { type: 'integer', minimum: 1, maximum, default: fallback },
});
/** Published lists hold TOP_N entries (default 50); a larger limit is refused with a 400. */
const listLimit = { ...limit(10, 50), description: 'at most TOP_N, 50 unless configured' };
const pathId = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: ref('Id'),
});

const siteKey = [{ siteKeyQuery: [] }, { siteKeyHeader: [] }];
const userToken = [{ userTokenHeader: [] }, { userTokenQuery: [] }];
const adminToken = [{ adminToken: [] }];

const rankedItems = {
  type: 'array',
  items: {
    type: 'object',
    required: ['itemId', 'score'],
    properties: { itemId: ref('Id'), score: { type: 'number' } },
  },
};

const influence = {
  type: 'object',
  required: ['userId', 'rank', 'pagerank', 'core'],
  properties: {
    userId: ref('Id'),
    rank: { type: 'integer', minimum: 1, description: '1 is the highest PageRank' },
    pagerank: { type: 'number', minimum: 0, maximum: 1 },
    core: { type: 'integer', minimum: 0, description: 'core number, undirected simple graph' },
  },
};

const timestamp = {
  oneOf: [
    { type: 'number', description: 'epoch milliseconds' },
    { type: 'string', format: 'date-time' },
  ],
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Starling',
    version: '1.0.0',
    description:
      'Real-time social-marketing engine at the edge: events in, live 5-second windows, ' +
      'recommendations and influence out. Every error has the body { error: { code, message, ' +
      'details } }.',
  },
  paths: {
    '/v1/events': {
      post: {
        summary: 'Send one event, an array of events, or { events: [...] } (at most 100, 256 KiB)',
        security: siteKey,
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: ref('EventBody') },
            'text/plain': { schema: { type: 'string', description: 'the same JSON, as text' } },
          },
        },
        responses: {
          '202': {
            description: 'valid events are durably stored; the others are listed in rejected',
            content: json(ref('IngestResult')),
          },
          ...errorsOf(400, 401, 403, 413, 415, 429),
          '503': { $ref: '#/components/responses/Error' },
        },
      },
    },
    '/v1/users/{userId}/activity': {
      get: {
        summary: "The user's windows with events, open and closed, newest first",
        security: userToken,
        parameters: [
          pathId('userId'),
          limit(12, 720),
          {
            name: 'resolution',
            in: 'query',
            schema: { enum: ['window', 'hour'], default: 'window' },
            description: "'hour' reads the hourly roll-ups of the last 30 days",
          },
        ],
        responses: {
          '200': { description: 'the windows', content: json(ref('Activity')) },
          ...errorsOf(400, 401, 403),
        },
      },
    },
    '/v1/users/{userId}/live': {
      get: {
        summary: 'WebSocket: one message { type: "window", start, end, counts } per closed window',
        security: userToken,
        parameters: [pathId('userId')],
        responses: {
          '101': { description: 'switching to the WebSocket protocol' },
          '426': { $ref: '#/components/responses/Error' },
          ...errorsOf(401, 403),
        },
      },
    },
    '/v1/users/{userId}/recommendations': {
      get: {
        summary: 'Items to show the user next; a user the model has not seen gets popular items',
        security: userToken,
        parameters: [pathId('userId'), listLimit],
        responses: {
          '200': { description: 'the list', content: json(ref('Recommendations')) },
          ...errorsOf(400, 401, 403),
        },
      },
    },
    '/v1/users/{userId}/influence': {
      get: {
        summary: "The user's PageRank, rank and core number",
        security: userToken,
        parameters: [pathId('userId')],
        responses: {
          '200': { description: 'the scores', content: json(influence) },
          ...errorsOf(401, 403, 404),
        },
      },
    },
    '/v1/users/{userId}': {
      delete: {
        summary: 'Erasure: every window, log row, edge and published entry of the user',
        security: adminToken,
        parameters: [pathId('userId')],
        responses: {
          '200': { description: 'what was removed', content: json({ type: 'object' }) },
          ...errorsOf(400, 401),
        },
      },
    },
    '/v1/items/{itemId}/similar': {
      get: {
        summary: 'Items whose factors are closest to this one (cosine)',
        security: siteKey,
        parameters: [pathId('itemId'), listLimit],
        responses: {
          '200': {
            description: 'the list',
            content: json({
              type: 'object',
              required: ['itemId', 'items', 'modelVersion'],
              properties: {
                itemId: ref('Id'),
                items: rankedItems,
                modelVersion: { type: 'string' },
              },
            }),
          },
          ...errorsOf(400, 401, 403, 404),
        },
      },
    },
    '/v1/influencers': {
      get: {
        summary: 'The most influential users by PageRank, highest first',
        security: siteKey,
        parameters: [limit(10, 1000)],
        responses: {
          '200': {
            description: 'the list',
            content: json({
              type: 'object',
              required: ['generatedAt', 'nodes', 'edges', 'items'],
              properties: {
                generatedAt: { type: ['integer', 'null'] },
                nodes: { type: 'integer' },
                edges: { type: 'integer' },
                items: { type: 'array', items: influence },
              },
            }),
          },
          ...errorsOf(400, 401, 403),
        },
      },
    },
    '/v1/admin/recompute': {
      post: {
        summary: 'Runs the batch job now and returns its summary',
        security: adminToken,
        responses: {
          '200': { description: 'the summary', content: json({ type: 'object' }) },
          ...errorsOf(401),
        },
      },
    },
    '/v1/admin/stats': {
      get: {
        summary: 'Log sizes, the published snapshot and the last jobs',
        security: adminToken,
        responses: { '200': { description: 'the stats' }, ...errorsOf(401) },
      },
    },
    '/v1/admin/dead-letters': {
      get: {
        summary: 'Queue messages that could not be applied, newest first',
        security: adminToken,
        parameters: [limit(50, 500)],
        responses: { '200': { description: 'the messages' }, ...errorsOf(400, 401) },
      },
    },
    '/v1/openapi.json': {
      get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } },
    },
    '/healthz': {
      get: {
        summary: 'Liveness',
        responses: {
          '200': {
            description: 'up',
            content: json({ type: 'object', properties: { ok: { const: true } } }),
          },
        },
      },
    },
  },
  components: {
    securitySchemes: {
      siteKeyQuery: { type: 'apiKey', in: 'query', name: 'key' },
      siteKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Starling-Key' },
      userTokenHeader: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Starling-User-Token',
        description: 'HS256 JWT signed with USER_TOKEN_SECRET; sub = userId, exp required',
      },
      userTokenQuery: { type: 'apiKey', in: 'query', name: 'token' },
      adminToken: { type: 'http', scheme: 'bearer' },
    },
    schemas: {
      Id: { type: 'string', pattern: '^[A-Za-z0-9._:@-]{1,128}$' },
      Event: {
        type: 'object',
        required: ['type', 'userId'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 64 },
          type: { enum: [...EVENT_TYPES] },
          userId: ref('Id'),
          itemId: { ...ref('Id'), description: 'required but for follow and unfollow' },
          targetUserId: { ...ref('Id'), description: 'required for follow and unfollow' },
          timestamp,
          sentAt: timestamp,
          campaign: { type: 'string', maxLength: 128 },
          recId: { type: 'string', maxLength: 128 },
          value: { type: 'number' },
          properties: {
            type: 'object',
            additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
            description: 'flat, at most 2 KiB as JSON',
          },
        },
      },
      EventBody: {
        oneOf: [
          ref('Event'),
          { type: 'array', items: ref('Event'), maxItems: 100 },
          {
            type: 'object',
            required: ['events'],
            properties: { events: { type: 'array', items: ref('Event'), maxItems: 100 } },
          },
        ],
      },
      IngestResult: {
        type: 'object',
        required: ['accepted', 'duplicates', 'rejected'],
        properties: {
          accepted: { type: 'integer' },
          duplicates: { type: 'integer' },
          rejected: {
            type: 'array',
            items: {
              type: 'object',
              required: ['index', 'code', 'message'],
              properties: {
                index: { type: 'integer' },
                code: { type: 'string' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
      Activity: {
        type: 'object',
        required: ['userId', 'windowMs', 'windows'],
        properties: {
          userId: ref('Id'),
          windowMs: { type: 'integer' },
          windows: {
            type: 'array',
            items: {
              type: 'object',
              required: ['start', 'end', 'closed', 'counts', 'late'],
              properties: {
                start: { type: 'integer' },
                end: { type: 'integer' },
                closed: { type: 'boolean' },
                counts: { type: 'object', additionalProperties: { type: 'integer' } },
                late: { type: 'integer' },
              },
            },
          },
        },
      },
      Recommendations: {
        type: 'object',
        required: ['userId', 'items', 'strategy', 'modelVersion', 'generatedAt'],
        properties: {
          userId: ref('Id'),
          items: rankedItems,
          strategy: { enum: ['als', 'popular'] },
          modelVersion: { type: ['string', 'null'] },
          generatedAt: { type: ['integer', 'null'] },
        },
      },
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message', 'details'],
            properties: {
              code: { enum: Object.values(ErrorCode) },
              message: { type: 'string' },
              details: { type: 'object' },
            },
          },
        },
      },
    },
    responses: Object.fromEntries(
      ['Error', ...Object.values(ERROR_RESPONSES)].map((name) => [
        name,
        { description: name.replace(/([a-z])([A-Z])/g, '$1 $2'), content: json(ref('Error')) },
      ]),
    ),
  },
} as const;
