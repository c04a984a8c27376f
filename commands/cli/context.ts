/**
 * What a running command gets: its IO, the options it was run with (its own and the global ones),
 * and settings and the API client made on first use. A Context is made once the command line is
 * parsed and never changes afterwards.
 */
import type { ImageKitClient } from '../../src/client.js';
import { requireSetting, resolveSettings, type ResolvedSettings } from '../../src/config.js';
import { UsageError } from './errors.js';
import { colorEnabled, type IO } from './io.js';
import { packageVersion } from './version.js';

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
  quiet?: boolean;
  retries?: number;
  /** Seconds. */
  timeout?: number;
  json?: boolean;
  /** `--json <fields>`: just these keys of the JSON. */
  jsonFields?: string[];
  /** `--jq <expression>`: the JSON filtered through jq. */
  jq?: string;
  ndjson?: boolean;
  env?: boolean;
}

export class Context {
  private settingsPromise: Promise<ResolvedSettings> | undefined;
  private clientPromise: Promise<ImageKitClient> | undefined;

  constructor(
    readonly io: IO,
    readonly options: GlobalOptions,
  ) {}

  settings(): Promise<ResolvedSettings> {
    const { options, io } = this;
    this.settingsPromise ??= resolveSettings({
      flags: { urlEndpoint: options.endpoint, publicKey: options.publicKey, baseUrl: options.baseUrl, uploadBaseUrl: options.uploadBaseUrl },
      profile: options.profile,
      configFile: options.config,
      env: io.env,
      cwd: io.cwd,
    }).then((settings) => {
      for (const warning of settings.warnings) this.warn(warning);
      return settings;
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
    const { ImageKitClient } = await import('../../src/client.js');
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
        ? (retry) => {
            const capped = retry.requestedDelayMs === undefined ? '' : ` (capped; the API asked for ${retry.requestedDelayMs} ms)`;
            this.io.stderr.write(`retry ${retry.attempt}/${retry.retries} of ${retry.method} ${retry.path} in ${retry.delayMs} ms${capped}: ${retry.reason}\n`);
          }
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

  /** An error that does not end the command (one item of many, a wait that ran out), on stderr. */
  error(message: string): void {
    this.io.stderr.write(`${errorPrefix(this.io, this.options)} ${message}\n`);
  }
}

/** `error:`, in red where stderr shows colour. */
export function errorPrefix(io: IO, options: GlobalOptions): string {
  return colorEnabled(io, io.stderrIsTTY, options.color === false) ? '\x1b[31merror:\x1b[39m' : 'error:';
}
