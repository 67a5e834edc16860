/**
 * The one env parser (src/env.ts) behind the core and Discord settings:
 * blank means unset, booleans in any of the usual spellings.
 */
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { CORE_DEFAULTS, loadCoreConfig } from '../src/config.js';
import { loadDiscordConfig } from '../src/discord/config.js';

const token = 'x'.repeat(24) + '.' + 'y'.repeat(6) + '.' + 'z'.repeat(27);

describe('environment settings', () => {
  it('treats a blank value as unset, as .env.example shows them', () => {
    const config = loadCoreConfig({
      LECTERN_MODEL_DIR: '',
      LECTERN_TEXTS_DIR: '  ',
      LECTERN_HNSW_M: '',
      LOG_LEVEL: '',
    });
    expect(config.model.dir).toBe(loadCoreConfig({}).model.dir);
    expect(config.textsDir).toBe(CORE_DEFAULTS.textsDir);
    expect(config.hnsw.M).toBe(CORE_DEFAULTS.hnsw.M);
    expect(config.logLevel).toBe('info');
    const discord = loadDiscordConfig({
      DISCORD_TOKEN: token,
      CHAT_MODE: '',
      ASK_CHANNEL_IDS: '',
      RATE_LIMIT_COUNT: ' ',
    });
    expect(discord.chatMode).toBe(true);
    expect(discord.askChannelIds.size).toBe(0);
    expect(discord.rateLimit.count).toBe(5);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['On', true],
    ['yes', true],
    ['1', true],
    ['false', false],
    ['OFF', false],
    ['No', false],
    ['0', false],
  ])('reads the boolean %s the same in core and Discord settings', (value, expected) => {
    expect(loadCoreConfig({ LECTERN_ALLOW_REMOTE_MODELS: value }).model.allowRemote).toBe(expected);
    expect(loadDiscordConfig({ DISCORD_TOKEN: token, LOG_QUESTIONS: value }).logQuestions).toBe(expected);
  });

  it('names the variable of a bad value in one line', () => {
    expect(() => loadCoreConfig({ LECTERN_ALLOW_REMOTE_MODELS: 'maybe' })).toThrow(
      /^Invalid configuration: LECTERN_ALLOW_REMOTE_MODELS must be true or false/,
    );
    expect(() => loadCoreConfig({ LECTERN_HNSW_M: 'many' })).toThrow(/^Invalid configuration: LECTERN_HNSW_M /);
  });

  it('runs the model on every core unless LECTERN_MODEL_THREADS says otherwise', () => {
    expect(loadCoreConfig({}).model.threads).toBe(availableParallelism());
    expect(loadCoreConfig({ LECTERN_MODEL_THREADS: '1' }).model.threads).toBe(1);
    expect(() => loadCoreConfig({ LECTERN_MODEL_THREADS: '0' })).toThrow(
      /^Invalid configuration: LECTERN_MODEL_THREADS must be at least 1/,
    );
  });
});
