/**
 * Snowflake ids like Discord's: a millisecond timestamp since the Discord
 * epoch shifted left by 22 bits, plus a counter so ids minted in the same
 * millisecond stay unique and increasing (discord.js sorts by them).
 */
const DISCORD_EPOCH = 1420070400000n;
let counter = 0n;

/** A fresh, increasing snowflake id as a decimal string. */
export function snowflake(): string {
  counter = (counter + 1n) & 0x3fffffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | counter).toString();
}
