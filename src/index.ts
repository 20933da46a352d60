import { createApp } from './http/app.ts';
import { runRecompute } from './jobs/recompute.ts';
import { consumeDeadLetters, consumeLogBatches } from './log/consumer.ts';

export { UserActivity } from '../durable-objects/user-activity.ts';

const app = createApp();

export default {
  fetch: app.fetch,

  async queue(batch, env, _ctx) {
    // The dead-letter queue is named after its source with a -dlq suffix (wrangler.toml).
    if (batch.queue.endsWith('-dlq')) await consumeDeadLetters(batch, env.DB);
    else await consumeLogBatches(batch, env.DB);
  },

  async scheduled(_controller, env, ctx) {
    // runRecompute records and logs its own failures; the rejection marks the run failed.
    ctx.waitUntil(runRecompute(env, 'cron'));
  },
} satisfies ExportedHandler<Env>;
