import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The stable, machine-readable error codes of the API (PRODUCT.md, "HTTP API v1"). */
export const ErrorCode = {
  invalidJson: 'invalid_json',
  invalidEvent: 'invalid_event',
  invalidRequest: 'invalid_request',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  upgradeRequired: 'upgrade_required',
  rateLimited: 'rate_limited',
  unavailable: 'unavailable',
  internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: Record<string, unknown> };
}

/**
 * An error that knows its HTTP response. Route code throws it; the app's error handler renders
 * it, and turns anything else into a logged 500 that reveals nothing.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }

  toResponse(): Response {
    return Response.json(this.toBody(), { status: this.status, headers: this.headers });
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new ApiError(400, ErrorCode.invalidRequest, message, { details });

export const unauthorized = (message: string) =>
  new ApiError(401, ErrorCode.unauthorized, message, {
    headers: { 'WWW-Authenticate': 'Bearer' },
  });

export const forbidden = (message: string) => new ApiError(403, ErrorCode.forbidden, message);

export const notFound = (message: string) => new ApiError(404, ErrorCode.notFound, message);
