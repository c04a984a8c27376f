import type { Command } from 'commander';
import { startEmulator, type EmulatorOptions } from '../emulator/index.js';
import type { Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { parseFraction, parseInteger, parseRateLimit } from './cli/flags.js';
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
  dashboard: boolean;
  dashboardPort?: number;
  json?: boolean;
}

const EXAMPLES = `
Examples:
  $ imagekit emulator --port 8765 --private-key private_ci_key > emulator.env &
  $ until grep -q PUBLIC_KEY emulator.env; do sleep 0.1; done
  $ . ./emulator.env                      # IMAGEKIT_BASE_URL, IMAGEKIT_URL_ENDPOINT, keys
  $ imagekit upload ./dist --folder /assets  # now talks to the emulator
  $ imagekit emulator --data ./.emulator --rate-limit 10/1s --fail-rate 0.1 --latency 50
  $ imagekit emulator --port 8765 --dashboard-port 8766   # the dashboard at http://127.0.0.1:8766

It prints the export lines that point the CLI (or an SDK, with its baseURL) at it, then serves until
Ctrl-C or SIGTERM. Without --private-key it makes a key pair. State lives in --data (a temporary folder,
removed on exit, when omitted). The dashboard, a web view of the files, requests, jobs and a
transformation playground, has a port of its own, printed at start; on a --host other than a loopback
address it asks for the private key (HTTP Basic auth, the key as the user name).`;

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
    .option('--dashboard-port <port>', "the dashboard's port (0: any free port)", parseInteger('--dashboard-port', { min: 0, max: 65535 }), 0)
    .option('--no-dashboard', 'serve no dashboard')
    .option('--json', 'print the connection details as one JSON object')
    .addHelpText('after', EXAMPLES)
    .action(registrar.action<[], EmulatorFlags>((_, flags, context) => runEmulator(flags, context)));
}

async function runEmulator(flags: EmulatorFlags, context: Context): Promise<Result> {
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
    dashboard: flags.dashboard,
    dashboardPort: flags.dashboardPort,
  };
  const emulator = await startEmulator(options);
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
      const signal = await context.io.interrupted();
      context.io.stderr.write(`${signal}: stopping the emulator\n`);
    } finally {
      await emulator.close();
    }
  }
  return { kind: 'lines', items: lines() };
}
