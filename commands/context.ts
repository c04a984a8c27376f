import type { Command } from 'commander';
import type { ImageKitClient } from '../src/client.js';
import { requireSetting, resolveSettings, type ResolvedSettings, type SettingValues } from '../src/config.js';
import { packageVersion } from './version.js';
import type { IO } from './io.js';
import type { Result } from './output.js';

/** Exit codes, as documented in the README and the CLI contract. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  notFound: 4,
  partial: 5,
  interrupted: 130,
} as const;

/** A command line that cannot work as written (exit code 2). */
export class UsageError extends Error {}
UsageError.prototype.name = 'UsageError';

/** Options every command understands (declared on the root program). */
export interface GlobalOptions {
  config?: string;
  profile?: string;
  endpoint?: string;
  publicKey?: string;
  baseUrl?: string;
  uploadBaseUrl?: string;
  color?: boolean;
  verbose?: boolean;
  retries?: number;
  /** Seconds. */
  timeout?: number;
  json?: boolean;
  ndjson?: boolean;
  env?: boolean;
}

/** What a running command gets: its IO, its options, and settings resolved on first use. */
export class Context {
  result: Result | undefined;
  options: GlobalOptions = {};
  private settingsPromise: Promise<ResolvedSettings> | undefined;
  private clientPromise: Promise<ImageKitClient> | undefined;

  constructor(readonly io: IO) {}

  settings(): Promise<ResolvedSettings> {
    const flags: SettingValues = {
      urlEndpoint: this.options.endpoint,
      publicKey: this.options.publicKey,
      baseUrl: this.options.baseUrl,
      uploadBaseUrl: this.options.uploadBaseUrl,
    };
    this.settingsPromise ??= resolveSettings({
      flags,
      profile: this.options.profile,
      configFile: this.options.config,
      env: this.io.env,
      cwd: this.io.cwd,
    });
    return this.settingsPromise;
  }

  /**
   * The API client, built from the settings and the global flags on first use. Needs the private
   * key (exit code 3 without it). With --verbose each retry is told on stderr.
   */
  async client(options: { concurrency?: number } = {}): Promise<ImageKitClient> {
    // One client per command run: its limiter is shared by every call the command makes.
    this.clientPromise ??= this.createClient(options);
    return this.clientPromise;
  }

  private async createClient(options: { concurrency?: number }): Promise<ImageKitClient> {
    const settings = await this.settings();
    const privateKey = requireSetting(settings, 'privateKey', 'calling the ImageKit API');
    const { ImageKitClient } = await import('../src/client.js');
    const { verbose, retries, timeout } = this.options;
    return new ImageKitClient({
      privateKey,
      baseUrl: settings.values.baseUrl!,
      uploadBaseUrl: settings.values.uploadBaseUrl!,
      retries,
      timeoutMs: timeout === undefined ? undefined : timeout * 1000,
      concurrency: options.concurrency,
      userAgent: `imagekit-cli/${packageVersion()}`,
      onRetry: verbose
        ? (retry) => this.io.stderr.write(`retry ${retry.attempt}/${retry.retries} of ${retry.method} ${retry.path} in ${retry.delayMs} ms: ${retry.reason}\n`)
        : undefined,
    });
  }

  /**
   * Asks before destructive work. `--yes` answers for the user; without a terminal to ask on, the
   * command refuses (exit 2) rather than act unattended.
   */
  async confirm(question: string, yes: boolean | undefined): Promise<void> {
    if (yes) return;
    const { io } = this;
    if (!io.stdinIsTTY || !io.stderrIsTTY) throw new UsageError(`${question.replace(/\?$/, '')}: refusing without confirmation; pass --yes`);
    const answer = (await io.prompt(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new UsageError('cancelled');
  }

  /** A note for the person at the terminal, on stderr. */
  warn(message: string): void {
    this.io.stderr.write(`warning: ${message}\n`);
  }

  /**
   * Wraps a command's work as a commander action: it receives the positional arguments and the
   * command's options merged with the global ones, and returns the data to print.
   */
  action<Args extends unknown[], Options extends object>(
    run: (args: Args, options: Options & GlobalOptions) => Promise<Result> | Result,
  ): (...commanderArgs: unknown[]) => Promise<void> {
    return async (...commanderArgs: unknown[]) => {
      const command = commanderArgs[commanderArgs.length - 1] as Command;
      const options = command.optsWithGlobals() as Options & GlobalOptions;
      this.options = options;
      this.result = await run(commanderArgs.slice(0, -2) as Args, options);
    };
  }
}

/** Parses a whole number option, or throws a UsageError naming the option. */
export function parseInteger(name: string, { min = Number.MIN_SAFE_INTEGER } = {}) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
      throw new UsageError(`${name} takes a whole number${min > Number.MIN_SAFE_INTEGER ? ` of at least ${min}` : ''}, got "${value}"`);
    }
    return Number(value);
  };
}
