/**
 * The fake Discord: a REST server and a gateway on 127.0.0.1 that the real
 * discord.js client logs into. See `server.ts` for the servers and
 * `payloads.ts` for the events it dispatches.
 *
 * It lives in tools/, not test/, because two kinds of code use it: the
 * end-to-end tests (test/discord, test/reliability) and the load tool
 * (`npm run load`, scripts/lib/discord-load.ts). Scripts must not import from
 * test/, and the fake is development tooling rather than a test.
 */
export * from './server.js';
export * from './payloads.js';
export * from './interaction.js';
export { snowflake } from './snowflake.js';
