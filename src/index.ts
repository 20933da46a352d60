import { createApp } from './http/app.ts';

export { UserActivity } from '../durable-objects/user-activity.ts';

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
