import { createRelayApp } from './relayApp';

const app = createRelayApp();

export default {
    fetch: app.fetch
} satisfies ExportedHandler<Env>;
