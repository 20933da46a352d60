import { createApp } from './http/app.ts';
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
} satisfies ExportedHandler<Env>;
