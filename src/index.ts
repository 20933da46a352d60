import { Hono } from 'hono';

export { UserActivity } from '../durable-objects/user-activity.ts';

const app = new Hono();
app.get('/healthz', (c) => c.json({ ok: true }));

export default {
  fetch: app.fetch,
} satisfies ExportedHandler;
