import { createRelayApp } from './relayApp';
import { runSchedulerTick } from './scheduler/schedulerTick';

const app = createRelayApp();

export default {
    fetch: app.fetch,
    // The cron trigger (wrangler.jsonc `triggers.crons`): run the enrolled orgs' due reports.
    scheduled(controller, env, ctx) {
        ctx.waitUntil(runSchedulerTick(env, { now: new Date(controller.scheduledTime) }));
    }
} satisfies ExportedHandler<Env>;
