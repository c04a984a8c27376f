/**
 * `imagekit usage`: the account's usage (bandwidth, storage, processing units) and its delivery
 * analytics over a range of days, in human units on a terminal and as the API answers with --json.
 * `--to` is included in both (the usage API's own end date is not, so one day is added to it).
 */
import type { Command } from 'commander';
import type { UsageAnalytics } from '../src/account-api.js';
import { examples, type Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { UsageError } from './cli/errors.js';
import { parseDay } from './cli/flags.js';
import { humanBytes } from './cli/format.js';
import type { Result } from './cli/output.js';

const DAY_MS = 86_400_000;
/** Without --from: the 30 days up to --to. */
const DEFAULT_DAYS = 30;

interface RangeFlags {
  from?: string;
  to?: string;
}

const dayOf = (timeMs: number) => new Date(timeMs).toISOString().slice(0, 10);
const timeOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The days asked for: --to (today, UTC, by default) and --from (30 days before by default), in order. */
function rangeOf(flags: RangeFlags, context: Context): { from: string; to: string } {
  const to = flags.to ?? dayOf(context.io.now());
  const from = flags.from ?? dayOf(timeOf(to) - (DEFAULT_DAYS - 1) * DAY_MS);
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  return { from, to };
}

function withRange(command: Command): Command {
  return command
    .option('--from <YYYY-MM-DD>', `first day (UTC; default: ${DEFAULT_DAYS} days before --to)`, parseDay('--from'))
    .option('--to <YYYY-MM-DD>', 'last day, included (UTC; default: today)', parseDay('--to'))
    .option('--json', 'print the API\'s answer as JSON');
}

/** Rows of the analytics: totals, cache, then every breakdown the API gives, by requests. */
function analyticsRows(analytics: UsageAnalytics): Array<{ group: string; name: string; requests: number; bandwidth?: number }> {
  const rows: Array<{ group: string; name: string; requests: number; bandwidth?: number }> = [
    { group: 'total', name: `${analytics.startDate} to ${analytics.endDate}`, requests: analytics.requestCount, bandwidth: analytics.bandwidthBytes },
    { group: 'cache', name: 'hit', requests: analytics.cache.hitCount },
    { group: 'cache', name: 'miss', requests: analytics.cache.missCount },
    { group: 'cache', name: 'error', requests: analytics.cache.errorCount },
  ];
  type Entry = { name: string; requestCount?: number; operationCount?: number; bandwidthBytes?: number; code?: string };
  for (const [group, value] of Object.entries(analytics)) {
    const entries = Array.isArray(value) ? (value as Entry[]) : ((value as { byRequests?: Entry[] } | null)?.byRequests ?? []);
    for (const entry of entries) {
      if (typeof entry?.name !== 'string') continue;
      rows.push({ group, name: entry.code ? `${entry.name} (${entry.code})` : entry.name, requests: entry.requestCount ?? entry.operationCount ?? 0, bandwidth: entry.bandwidthBytes });
    }
  }
  return rows;
}

export function register(program: Command, registrar: Registrar): void {
  const usage = program
    .command('usage')
    .summary('account usage and delivery analytics over a range of days')
    .addHelpText(
      'after',
      `${examples('usage                                   # the last 30 days', 'usage --from 2025-03-01 --to 2025-03-31', 'usage --from 2025-03-01 --json', 'usage analytics --from 2025-03-01 --to 2025-03-07')}

Both days are included, UTC; the API takes ranges of less than 90 days.`,
    );

  withRange(usage.command('show', { isDefault: true }).description('Bandwidth, storage and processing units used (the default).'))
    .addHelpText('after', examples('usage show --from 2025-03-01 --to 2025-03-31', 'usage --json'))
    .action(
      registrar.action<[], RangeFlags>(async (_, flags, context): Promise<Result> => {
        const { from, to } = rangeOf(flags, context);
        const used = await (await context.client()).getUsage(from, dayOf(timeOf(to) + DAY_MS));
        const bytes = (value: number | undefined) => humanBytes(value ?? 0);
        return {
          kind: 'record',
          record: {
            from,
            to,
            bandwidth: bytes(used.bandwidthBytes),
            mediaLibraryStorage: bytes(used.mediaLibraryStorageBytes),
            originalCacheStorage: bytes(used.originalCacheStorageBytes),
            videoProcessingUnits: used.videoProcessingUnitsCount ?? 0,
            extensionUnits: used.extensionUnitsCount ?? 0,
          },
          json: used,
        };
      }),
    );

  withRange(usage.command('analytics').description('Delivery analytics: requests and bandwidth by format, asset, status, cache (beta).'))
    .addHelpText('after', examples('usage analytics --from 2025-03-01 --to 2025-03-07', 'usage analytics --json | jq .topImages'))
    .action(
      registrar.action<[], RangeFlags>(async (_, flags, context): Promise<Result> => {
        const { from, to } = rangeOf(flags, context);
        const analytics = await (await context.client()).getUsageAnalytics(from, to);
        return {
          kind: 'table',
          columns: [
            { header: 'group', value: (r) => r.group },
            { header: 'name', value: (r) => r.name },
            { header: 'requests', value: (r) => String(r.requests) },
            { header: 'bandwidth', value: (r) => (r.bandwidth === undefined ? '' : humanBytes(r.bandwidth)) },
          ],
          rows: analyticsRows(analytics),
          json: analytics,
        };
      }),
    );
}
