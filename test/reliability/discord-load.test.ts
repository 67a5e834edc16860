/**
 * A smaller `npm run load` in the suite: 150 questions from 40 readers at
 * once, slash commands, buttons and chat mixed, through the real discord.js
 * client and the real engine. Every question gets exactly one answer or
 * rate-limit notice, none is lost, and the gateway heartbeat keeps time (the
 * fake closes a connection whose heartbeat is late). No timing assertions
 * beyond the heartbeat deadline, which is generous.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lectern } from '../../src/lectern.js';
import { LOAD_KINDS, RATE_LIMITED_KINDS, runDiscordLoad, type LoadReport } from '../../scripts/lib/discord-load.js';

let lectern: Lectern;
let report: LoadReport;

beforeAll(async () => {
  lectern = await Lectern.open();
  // 150 questions from 40 readers is 3.75 each; a limit of 3 leaves some readers over it.
  report = await runDiscordLoad(lectern, {
    questions: 150,
    users: 40,
    rateLimit: 3,
    heartbeatIntervalMs: 500,
    // Generous for a shared CI machine: a late heartbeat here means the loop stalled for seconds.
    heartbeatDeadlineMs: 3000,
    heartbeatToleranceMs: 1500,
    timeoutMs: 90_000,
  });
}, 120_000);

afterAll(async () => {
  await lectern?.close();
});

describe('a burst of 150 questions from 40 readers', () => {
  it('gets exactly one response per question: none lost, none answered twice', () => {
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.unattributed).toEqual([]);
    expect(report.answered + report.rateLimitNotices + report.rateLimitedSilently).toBe(150);
  });

  it('mixes every kind of question, and both answers and rate-limit notices happen', () => {
    for (const kind of LOAD_KINDS) expect(report.byKind[kind].sent, kind).toBeGreaterThan(0);
    expect(report.answered).toBeGreaterThan(100);
    expect(report.rateLimitNotices + report.rateLimitedSilently).toBeGreaterThan(0);
    // Context and ◀ ▶ only read the library: never rate-limited.
    for (const kind of LOAD_KINDS.filter((k) => !RATE_LIMITED_KINDS.has(k)))
      expect(report.byKind[kind].answered).toBe(report.byKind[kind].sent);
  });

  it('answers each reader min(limit, asked) questions and turns the rest away', () => {
    expect(report.rateLimitMismatches).toEqual([]);
  });

  it('pings nobody, and Discord refuses nothing', () => {
    expect(report.pingViolations).toEqual([]);
    expect(report.restErrors).toEqual([]);
    expect(report.botProblems).toEqual([]);
  });

  it('stays connected: one gateway connection, heartbeats on time', () => {
    expect(report.heartbeats.connections).toBe(1);
    expect(report.heartbeats.timedOut).toBe(0);
    expect(report.heartbeats.late).toEqual([]);
    expect(report.heartbeats.beats).toBeGreaterThan(0);
    expect(report.ok, report.failures.join('\n')).toBe(true);
  });
});
