import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it('answers the health check', async () => {
  const res = await exports.default.fetch('http://x/healthz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});
