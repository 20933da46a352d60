/**
 * Verification of the user tokens websites mint for their visitors: compact JWTs signed with
 * HS256, whose `sub` is the user id and whose `exp` is required. Nothing else is accepted, so
 * a token cannot downgrade itself to `alg: none` or another algorithm.
 */
export type TokenCheck =
  | { ok: true; sub: string; exp: number }
  | { ok: false; reason: 'malformed' | 'algorithm' | 'signature' | 'expired' | 'claims' };

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    keyCache.set(secret, key);
  }
  return key;
}

function base64UrlDecode(part: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return null;
  const padded =
    part.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (part.length % 4)) % 4);
  try {
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function base64UrlEncode(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function decodeJson(part: string): Record<string, unknown> | null {
  const bytes = base64UrlDecode(part);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export async function verifyUserToken(
  token: string,
  secret: string,
  nowMs: number,
): Promise<TokenCheck> {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  const signature = base64UrlDecode(signaturePart);
  if (!header || !payload || !signature) return { ok: false, reason: 'malformed' };
  if (header.alg !== 'HS256') return { ok: false, reason: 'algorithm' };

  // crypto.subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify(
    'HMAC',
    await hmacKey(secret),
    signature,
    encoder.encode(`${headerPart}.${payloadPart}`),
  );
  if (!valid) return { ok: false, reason: 'signature' };

  const { sub, exp, nbf } = payload;
  if (typeof sub !== 'string' || typeof exp !== 'number') return { ok: false, reason: 'claims' };
  if (typeof nbf === 'number' && nowMs < nbf * 1000) return { ok: false, reason: 'claims' };
  if (nowMs >= exp * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, sub, exp };
}

/** Mints a user token; what a website's back end does (here for tests and the README). */
export async function signUserToken(
  claims: { sub: string; exp: number } & Record<string, unknown>,
  secret: string,
): Promise<string> {
  const header = base64UrlEncode(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const payload = base64UrlEncode(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(secret),
    encoder.encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${base64UrlEncode(new Uint8Array(signature))}`;
}
