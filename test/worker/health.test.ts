import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { ROUTES } from '../../src/http/app.ts';

it('answers the health check', async () => {
  const res = await exports.default.fetch('http://x/healthz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});

it('serves an OpenAPI 3.1 document naming every route and method', async () => {
  const res = await exports.default.fetch('http://x/v1/openapi.json');
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, object> };
  expect(doc.openapi).toBe('3.1.0');
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const served = ROUTES.flatMap(([path, methods]) =>
    methods.map((m) => `${m} ${path.replace(/:(\w+)/g, '{$1}')}`),
  );
  expect(new Set(documented)).toEqual(new Set(served));
});
