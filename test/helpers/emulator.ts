// One emulator for a test file: started before its tests on 127.0.0.1 port 0, closed after them, with
// the environment and an API client that point at it.
import { ImageKitClient } from '../../src/client.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';

export interface TestEmulator {
  emulator: Emulator;
  /** IMAGEKIT_* variables for the CLI. */
  env: Record<string, string>;
  client: ImageKitClient;
  /** Requests that changed something so far (all but GET): for asserting that nothing was sent. */
  mutations(): number;
}

export function useEmulator(options: EmulatorOptions = {}): TestEmulator {
  const handle = {
    mutations: () => handle.emulator.requests.filter((r) => r.method !== 'GET').length,
  } as TestEmulator;
  beforeAll(async () => {
    const emulator = await startEmulator(options);
    handle.emulator = emulator;
    handle.env = { IMAGEKIT_BASE_URL: emulator.url, IMAGEKIT_PRIVATE_KEY: emulator.privateKey, IMAGEKIT_URL_ENDPOINT: emulator.urlEndpoint };
    handle.client = new ImageKitClient({ privateKey: emulator.privateKey, baseUrl: emulator.url, uploadBaseUrl: emulator.url, concurrency: 16 });
  });
  afterAll(() => handle.emulator.close());
  return handle;
}
