import type { Command } from 'commander';
import { getAuthenticationParameters, MAX_AUTH_EXPIRY_SECONDS } from '../src/auth.js';
import { requireSetting } from '../src/config.js';
import type { Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { UsageError } from './cli/errors.js';
import { parseInteger } from './cli/flags.js';
import type { Result } from './cli/output.js';

interface AuthParamsFlags {
  token?: string;
  expire?: number;
  expiresIn?: number;
}

const EXAMPLES = `
Examples:
  $ imagekit auth-params                       # JSON when piped, a key/value list on a terminal
  $ imagekit auth-params --expires-in 600 --json
  $ imagekit auth-params --token my-token --expire 1700000000
  $ eval "$(imagekit auth-params --env)"       # IMAGEKIT_TOKEN, IMAGEKIT_EXPIRE, IMAGEKIT_SIGNATURE

signature = lowercase hex HMAC-SHA1(private key, token + expire). Each token can be used for one
upload only, and the upload API refuses an expire more than an hour ahead.`;

export function register(program: Command, registrar: Registrar): void {
  program
    .command('auth-params')
    .summary('token, expiry and signature for client-side uploads')
    .description('Print the {token, expire, signature} a browser or app needs to upload straight to ImageKit.')
    .option('--token <token>', 'the single-use token (default: a random UUID v4)')
    .option('--expire <unix-seconds>', 'absolute expiry, as Unix time in seconds', parseInteger('--expire', { min: 1 }))
    .option('--expires-in <seconds>', 'expiry in seconds from now (default 1800)', parseInteger('--expires-in', { min: 1 }))
    .option('--json', 'print JSON (the default when stdout is not a terminal)')
    .option('--env', 'print shell export lines')
    .addHelpText('after', EXAMPLES)
    .action(registrar.action<[], AuthParamsFlags>((_, flags, context) => runAuthParams(flags, context)));
}

async function runAuthParams(flags: AuthParamsFlags, context: Context): Promise<Result> {
  if (flags.expire !== undefined && flags.expiresIn !== undefined) throw new UsageError('give --expire or --expires-in, not both');
  if (context.options.json && context.options.env) throw new UsageError('give --json or --env, not both');
  const settings = await context.settings();
  const privateKey = requireSetting(settings, 'privateKey', 'auth-params');
  const nowSeconds = Math.floor(context.io.now() / 1000);
  const params = getAuthenticationParameters({
    privateKey,
    token: flags.token,
    expire: flags.expire ?? (flags.expiresIn === undefined ? undefined : nowSeconds + flags.expiresIn),
    now: context.io.now,
  });
  const ahead = params.expire - nowSeconds;
  if (ahead >= MAX_AUTH_EXPIRY_SECONDS) {
    context.warn(`expire is ${ahead} s ahead: the upload API wants an expiry less than ${MAX_AUTH_EXPIRY_SECONDS} s in the future`);
  } else if (ahead <= 0) {
    context.warn('expire is in the past: the upload API will refuse these parameters');
  }
  return { kind: 'record', record: { ...params }, pipedFormat: 'json', envPrefix: 'IMAGEKIT_' };
}
