/**
 * `imagekit emulator`: flags to startEmulator's options, the connection details printed as export
 * lines (or JSON), then serving until a signal, or until the process that started it has gone
 * (`--exit-with-parent`, for CI jobs whose runner kills only its direct child, such as npx).
 */
import type { Command } from 'commander';
import { LockHeldError, startEmulator, UPLOAD_PLANS, type EmulatorOptions, type UploadPlan } from '../emulator/index.js';
import type { Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { UsageError } from './cli/errors.js';
import { parseChoice, parseFraction, parseInteger, parseRateLimit } from './cli/flags.js';
import { shellQuote } from './cli/format.js';
import type { Result } from './cli/output.js';

interface EmulatorFlags {
  port?: number;
  host?: string;
  data?: string;
  privateKey?: string;
  publicKey?: string;
  id?: string;
  rateLimit?: string;
  failRate?: number;
  resetRate?: number;
  latency?: number;
  jobDuration?: number;
  seed?: number;
  plan?: UploadPlan;
  pidFile?: string;
  exitWithParent?: boolean;
  dashboard: boolean;
  dashboardPort?: number;
  json?: boolean;
}

/** How often the parent is looked for: stopping within a second is soon enough for a CI job. */
const PARENT_POLL_MS = 500;

const EXAMPLES = `
Examples:
  $ imagekit emulator --pid-file emulator.pid > emulator.env &
  $ until grep -q PUBLIC_KEY emulator.env; do sleep 0.1; done
  $ . ./emulator.env                      # IMAGEKIT_BASE_URL, IMAGEKIT_URL_ENDPOINT, keys
  $ imagekit upload ./dist --folder /assets  # now talks to the emulator
  $ kill "$(cat emulator.pid)"
  $ imagekit emulator --data ./.emulator --rate-limit 10/1s --fail-rate 0.1 --latency 50
  $ imagekit emulator --port 8765 --dashboard-port 8766   # the dashboard at http://127.0.0.1:8766

It prints the export lines that point the CLI (or an SDK, with its baseURL) at it, then serves until
Ctrl-C or SIGTERM. State lives in --data (a temporary folder, removed on exit, when omitted), with the
key pair it makes when --private-key and --public-key are not given; one emulator at a time uses a
folder. What it answers is on disk first: a crash loses no acknowledged change. The dashboard, a web
view of the files, requests, jobs and a transformation playground, has a port of its own, printed at
start; on a --host other than a loopback address it asks for the private key (HTTP Basic auth, the key
as the user name).`;

export function register(program: Command, registrar: Registrar): void {
  program
    .command('emulator')
    .summary('run a local ImageKit emulator for tests and CI rehearsals')
    .description('Serve ImageKit\'s API, upload API and file delivery on one local origin, with faults on demand.')
    .option('--port <port>', 'port to listen on (0: any free port)', parseInteger('--port', { min: 0, max: 65535 }), 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'keep state in this folder (it survives restarts)')
    .option('--private-key <key>', "the emulator's own private key (not a real ImageKit key)")
    .option('--public-key <key>', "the emulator's public key")
    .option('--id <imagekitId>', 'the account id in the URL endpoint', 'emulator')
    .option('--rate-limit <n/interval>', 'answer 429 past n API calls per interval (uploads are never limited)')
    .option('--fail-rate <0..1>', 'answer this share of API and upload calls with a random 500 or 503', parseFraction('--fail-rate'))
    .option('--reset-rate <0..1>', 'drop the connection of this share of API and upload calls', parseFraction('--reset-rate'))
    .option('--latency <ms>', 'add this many milliseconds to every response', parseInteger('--latency', { min: 0 }))
    .option('--job-duration <ms>', 'how long folder jobs and purges stay Pending', parseInteger('--job-duration', { min: 0 }))
    .option('--seed <n>', 'seed of the fault injection, for repeatable runs', parseInteger('--seed'))
    .option('--plan <plan>', `the plan whose upload size limits apply: ${Object.keys(UPLOAD_PLANS).join(', ')}`, parseChoice('--plan', Object.keys(UPLOAD_PLANS)), 'pro')
    .option('--pid-file <file>', 'write the pid to this file while running (removed on exit)')
    .option('--exit-with-parent', 'stop when the process that started it exits (as npx does when killed)')
    .option('--dashboard-port <port>', "the dashboard's port (0: any free port)", parseInteger('--dashboard-port', { min: 0, max: 65535 }), 0)
    .option('--no-dashboard', 'serve no dashboard')
    .option('--json', 'print the connection details as one JSON object')
    .addHelpText('after', EXAMPLES)
    .action(registrar.action<[], EmulatorFlags>((_, flags, context) => runEmulator(flags, context)));
}

async function runEmulator(flags: EmulatorFlags, context: Context): Promise<Result> {
  // Read before starting: a parent that goes while the emulator starts must be noticed too.
  const parent = process.ppid;
  const options: EmulatorOptions = {
    port: flags.port,
    host: flags.host,
    dataDir: flags.data,
    privateKey: flags.privateKey,
    publicKey: flags.publicKey,
    imagekitId: flags.id,
    rateLimit: flags.rateLimit === undefined ? undefined : parseRateLimit(flags.rateLimit),
    failRate: flags.failRate,
    resetRate: flags.resetRate,
    latencyMs: flags.latency,
    jobDurationMs: flags.jobDuration,
    seed: flags.seed,
    plan: flags.plan,
    pidFile: flags.pidFile,
    dashboard: flags.dashboard,
    dashboardPort: flags.dashboardPort,
  };
  const emulator = await startEmulator(options).catch((error: unknown) => {
    // Another emulator on the folder (or pid file) is the command line's to change: a usage error.
    throw error instanceof LockHeldError ? new UsageError(error.message) : error;
  });
  const details = {
    url: emulator.url,
    urlEndpoint: emulator.urlEndpoint,
    privateKey: emulator.privateKey,
    publicKey: emulator.publicKey,
    ...(emulator.dashboardUrl ? { dashboardUrl: emulator.dashboardUrl } : {}),
  };
  // Quoted for the shell, so that a key or id with spaces or `;` cannot break (or run from) the lines.
  const quote = shellQuote;
  const exports = [
    `export IMAGEKIT_BASE_URL=${quote(emulator.url)}`,
    `export IMAGEKIT_UPLOAD_BASE_URL=${quote(emulator.url)}`,
    `export IMAGEKIT_URL_ENDPOINT=${quote(emulator.urlEndpoint)}`,
    `export IMAGEKIT_PRIVATE_KEY=${quote(emulator.privateKey)}`,
    `export IMAGEKIT_PUBLIC_KEY=${quote(emulator.publicKey)}`,
  ];
  async function* lines() {
    try {
      if (flags.json) yield { text: '', json: details };
      else for (const line of exports) yield { text: line, json: null };
      const dashboard = emulator.dashboardUrl ? `, dashboard at ${emulator.dashboardUrl}` : '';
      context.io.stderr.write(`ImageKit emulator listening on ${emulator.url}${dashboard} (Ctrl-C to stop)\n`);
      const reason = await Promise.race([context.io.interrupted(), ...(flags.exitWithParent ? [parentExited(parent)] : [])]);
      context.io.stderr.write(`${reason}: stopping the emulator\n`);
    } finally {
      await emulator.close();
    }
  }
  return { kind: 'lines', items: lines() };
}

/**
 * Resolves once the process that started this one (`parent`) has ended: an orphan is adopted by
 * another process, so its parent pid changes. Polled, since no event tells of it.
 */
function parentExited(parent: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(timer);
      resolve('the parent process exited');
    }, PARENT_POLL_MS);
    // The server keeps the process alive while it runs; this timer must not keep it alive after.
    timer.unref();
  });
}
