// The emulator for tests, imported from here only: on 127.0.0.1 port 0, with the environment and an
// API client that point at it. One per test file (useEmulator), or more for tests that need faults.
import { ImageKitClient } from '../../src/client.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';

export type { Emulator };

export interface TestEmulator {
  emulator: Emulator;
  /** IMAGEKIT_* variables for the CLI. */
  env: Record<string, string>;
  client: ImageKitClient;
  /** Requests that changed something so far (all but GET): for asserting that nothing was sent. */
  mutations(): number;
}

/** The IMAGEKIT_* variables that point the CLI at an emulator. */
export const envFor = (emulator: Emulator): Record<string, string> => ({
  IMAGEKIT_BASE_URL: emulator.url,
  IMAGEKIT_PRIVATE_KEY: emulator.privateKey,
  IMAGEKIT_URL_ENDPOINT: emulator.urlEndpoint,
});

export const clientFor = (emulator: Emulator) => new ImageKitClient({ privateKey: emulator.privateKey, baseUrl: emulator.url, uploadBaseUrl: emulator.url, concurrency: 16 });

export function useEmulator(options: EmulatorOptions = {}): TestEmulator {
  const handle = {
    mutations: () => handle.emulator.requests.filter((r) => r.method !== 'GET').length,
  } as TestEmulator;
  beforeAll(async () => {
    const emulator = await startEmulator(options);
    handle.emulator = emulator;
    handle.env = envFor(emulator);
    handle.client = clientFor(emulator);
  });
  afterAll(() => handle.emulator.close());
  return handle;
}

/** An emulator of a test's own (faults, latency): the test closes it. */
export const emulatorWith = (options: EmulatorOptions = {}) => startEmulator({ host: '127.0.0.1', port: 0, ...options });

/** The requests that changed something (anything but GET), or of one kind. */
export const mutatingRequests = (emulator: Emulator) => emulator.requests.filter((r) => r.method !== 'GET');
export const uploadRequests = (emulator: Emulator) => emulator.requests.filter((r) => r.path === '/api/v1/files/upload');
export const purgeRequests = (emulator: Emulator) => emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/files/purge');
