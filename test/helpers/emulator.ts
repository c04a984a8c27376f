/**
 * An emulator for one test file: started on 127.0.0.1 before its tests and closed after them, with
 * the CLI's environment and a client of the core library pointed at it.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { ImageKitClient } from '../../src/client.js';
import { runCli, type RunOptions, type RunResult } from './cli.js';

export interface TestEmulator {
  readonly emulator: Emulator;
  /** IMAGEKIT_BASE_URL, IMAGEKIT_PRIVATE_KEY and IMAGEKIT_URL_ENDPOINT of the emulator. */
  readonly env: Record<string, string>;
  readonly client: ImageKitClient;
  /** Runs the CLI in-process against the emulator (more env, stdin, terminals in `options`). */
  run(argv: string[], options?: RunOptions): Promise<RunResult>;
  /** How many requests that change something the emulator has received. */
  mutations(): number;
}

export function useEmulator(options: EmulatorOptions = {}): TestEmulator {
  let emulator: Emulator;
  let env: Record<string, string>;
  let client: ImageKitClient;
  beforeAll(async () => {
    emulator = await startEmulator(options);
    env = { IMAGEKIT_BASE_URL: emulator.url, IMAGEKIT_PRIVATE_KEY: emulator.privateKey, IMAGEKIT_URL_ENDPOINT: emulator.urlEndpoint };
    client = new ImageKitClient({ privateKey: emulator.privateKey, baseUrl: emulator.url, uploadBaseUrl: emulator.url, retries: 0 });
  });
  afterAll(() => emulator.close());
  return {
    get emulator() {
      return emulator;
    },
    get env() {
      return env;
    },
    get client() {
      return client;
    },
    run: (argv, runOptions = {}) => runCli(argv, { ...runOptions, env: { ...env, ...runOptions.env } }),
    mutations: () => emulator.requests.filter((r) => r.method !== 'GET').length,
  };
}
