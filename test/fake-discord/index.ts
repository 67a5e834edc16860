/**
 * The fake Discord for end-to-end tests: see `server.ts` for the servers and
 * `payloads.ts` for the events tests dispatch.
 */
export * from './server.js';
export * from './payloads.js';
export * from './interaction.js';
export { snowflake } from './snowflake.js';
