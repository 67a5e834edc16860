/**
 * `npm run load [-- options]`: fires a burst of questions at the Discord bot
 * through the in-process fake Discord (real discord.js client, real engine)
 * and checks that each gets exactly one answer or rate-limit notice, that
 * memory comes back down, and that the gateway heartbeat kept time. Prints
 * throughput and p50/p99 latency. Exits 1 when a check fails. All traffic
 * stays on 127.0.0.1. See scripts/lib/discord-load.ts for how it works.
 */
import { runMain } from '../src/cli/run.js';
import { LecternError } from '../src/errors.js';
import { Lectern } from '../src/lectern.js';
import {
  DEFAULT_MIX,
  formatReport,
  LOAD_KINDS,
  memoryWithinMargin,
  runDiscordLoad,
  type LoadKind,
  type LoadOptions,
} from './lib/discord-load.js';

const USAGE = `Usage: npm run load [-- options]

Options (defaults in brackets):
  --questions N      questions in the burst [1000]
  --users N          readers asking them, round-robin [200]
  --rate-limit N     RATE_LIMIT_COUNT per reader for the run [4]; with 1,000
                     questions from 200 readers (5 each, about 4.3 of which ask
                     the engine) both answers and rate-limit notices occur
  --heartbeat-ms N   gateway heartbeat interval [1000]
  --defer-ms N       defer interactions not answered after N ms [1200]
  --mix K=N,…        shares of ${LOAD_KINDS.join(', ')}
                     [${LOAD_KINDS.map((k) => `${k}=${DEFAULT_MIX[k]}`).join(',')}]
  --seed N           order of the kinds [1]
  --json             print the report as JSON`;

function parseArgs(argv: string[]): LoadOptions & { json: boolean } {
  const options: LoadOptions & { json: boolean } = { json: false };
  const int = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new LecternError(`${name} needs a whole number of at least ${min}.\n\n${USAGE}`, 2);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--questions':
        options.questions = int(flag, value(), 1);
        break;
      case '--users':
        options.users = int(flag, value(), 1);
        break;
      case '--rate-limit':
        options.rateLimit = int(flag, value(), 1);
        break;
      case '--heartbeat-ms':
        options.heartbeatIntervalMs = int(flag, value(), 100);
        break;
      case '--defer-ms':
        options.deferAfterMs = int(flag, value(), 0);
        break;
      case '--seed':
        options.seed = int(flag, value(), 0);
        break;
      case '--mix': {
        const mix: Partial<Record<LoadKind, number>> = {};
        for (const part of (value() ?? '').split(',').filter(Boolean)) {
          const [kind, share] = part.split('=') as [string, string | undefined];
          if (!(LOAD_KINDS as readonly string[]).includes(kind))
            throw new LecternError(`--mix: unknown kind "${kind}".\n\n${USAGE}`, 2);
          mix[kind as LoadKind] = int(`--mix ${kind}`, share, 0);
        }
        options.mix = mix;
        break;
      }
      case '--json':
        options.json = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return process.exit(0);
      default:
        throw new LecternError(`Unknown option ${flag}.\n\n${USAGE}`, 2);
    }
  }
  return options;
}

runMain(async () => {
  const { json, ...options } = parseArgs(process.argv.slice(2));
  const lectern = await Lectern.open();
  try {
    const report = await runDiscordLoad(lectern, {
      ...options,
      progress: json ? undefined : (line) => process.stderr.write(`load: ${line}\n`),
    });
    const memory = memoryWithinMargin(report);
    process.stdout.write(
      json ? `${JSON.stringify({ ...report, memoryWithinMargin: memory }, null, 2)}\n` : `${formatReport(report)}\n`,
    );
    return report.ok && memory.ok ? 0 : 1;
  } finally {
    await lectern.close();
  }
});
