/**
 * `imagekit webhook verify`: checks a webhook request ImageKit sent (its raw body, its
 * `webhook-id`, `webhook-timestamp` and `webhook-signature` headers) against the webhook secret,
 * exactly as @imagekit/nodejs `webhooks.unwrap` does (src/webhooks.ts), and prints the event.
 * Exit 0 valid, 1 invalid (wrong signature, or a timestamp more than five minutes off), 2 malformed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidWebhookSignatureError, MalformedWebhookError, verifyWebhook } from '../src/webhooks.js';
import { examples, type Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { ExitCode, UsageError } from './cli/errors.js';
import { collect } from './cli/flags.js';
import { readAll } from './cli/io.js';
import type { Result } from './cli/output.js';

interface VerifyFlags {
  secretEnv: string;
  body?: string;
  header: string[];
}

/** `-H "name: value"` flags as a header map. */
function headersFrom(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header takes "name: value", got "${line}"`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** The raw body, byte for byte as signed: `--body @file`, `--body <text>`, or stdin. */
async function bodyFrom(flags: VerifyFlags, context: Context): Promise<string> {
  if (flags.body === undefined) return readAll(context.io.stdin);
  if (!flags.body.startsWith('@')) return flags.body;
  const file = resolve(context.io.cwd, flags.body.slice(1));
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--body: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function register(program: Command, registrar: Registrar): void {
  const webhook = program.command('webhook').summary('verify the signature of a webhook request');

  webhook
    .command('verify')
    .description('Say whether a webhook request\'s signature is valid, and print its event as JSON.')
    .requiredOption('--secret-env <VAR>', 'the environment variable holding the webhook secret (whsec_...)')
    .option('--body <@file|text>', 'the raw request body (default: stdin)')
    .option('-H, --header <"name: value">', 'a request header; repeat for webhook-id, webhook-timestamp and webhook-signature', collect, [])
    .option('--json', 'print {valid, event} or {valid, reason} as JSON')
    .addHelpText(
      'after',
      `${examples(
        'webhook verify --secret-env IMAGEKIT_WEBHOOK_SECRET --body @event.json -H "webhook-id: $ID" -H "webhook-timestamp: $TS" -H "webhook-signature: $SIG"',
        'webhook verify --secret-env IMAGEKIT_WEBHOOK_SECRET -H "webhook-id: $ID" -H "webhook-timestamp: $TS" -H "webhook-signature: $SIG" --json < body.json',
      )}

The signature is base64(HMAC-SHA256(secret, "<webhook-id>.<webhook-timestamp>.<body>")), as the
official SDK checks it; the timestamp must be within five minutes of now.
Exit codes: 0 valid, 1 invalid signature or stale timestamp, 2 malformed request (missing header,
timestamp not a number, body not JSON) or missing secret.`,
    )
    .action(
      registrar.action<[], VerifyFlags>(async (_, flags, context): Promise<Result> => {
        const secret = context.io.env[flags.secretEnv];
        if (!secret) throw new UsageError(`--secret-env: the environment variable ${flags.secretEnv} is not set`);
        const headers = headersFrom(flags.header);
        const body = await bodyFrom(flags, context);
        try {
          const event = verifyWebhook(body, headers, secret, context.io.now()) as { id?: string; type?: string };
          return { kind: 'record', record: { valid: true, id: event.id ?? null, type: event.type ?? null, event: JSON.stringify(event) }, json: { valid: true, event } };
        } catch (error) {
          if (error instanceof MalformedWebhookError) throw new UsageError(`malformed webhook request: ${error.message}`);
          if (!(error instanceof InvalidWebhookSignatureError)) throw error;
          context.error(`invalid webhook signature: ${error.message}`);
          return { kind: 'record', record: { valid: false, reason: error.message }, exitCode: () => ExitCode.failure };
        }
      }),
    );
}
