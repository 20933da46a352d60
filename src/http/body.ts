import { ApiError, ErrorCode } from './errors.ts';

export const MAX_BODY_BYTES = 256 * 1024;

const tooLarge = () =>
  new ApiError(413, ErrorCode.payloadTooLarge, `the body is over ${MAX_BODY_BYTES / 1024} KiB`, {
    details: { limitBytes: MAX_BODY_BYTES },
  });

/**
 * Accepts `application/json` and `text/plain` (what navigator.sendBeacon sends for a string).
 * A request without a content type is read as JSON, as a Blob beacon without a type is.
 */
export function checkContentType(contentType: string | undefined): void {
  if (contentType === undefined) return;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json' && mediaType !== 'text/plain') {
    throw new ApiError(
      415,
      ErrorCode.unsupportedMediaType,
      `content type ${mediaType} is not accepted; send application/json or text/plain`,
    );
  }
}

/**
 * Reads the body as JSON, refusing it as soon as it passes the limit: the stream is counted
 * while it is read, so a client cannot make the Worker buffer an unbounded body.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declared = request.headers.get('Content-Length');
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw tooLarge();

  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }

  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError(400, ErrorCode.invalidJson, 'the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw new ApiError(400, ErrorCode.invalidJson, `the body is not valid JSON${reason}`);
  }
}
