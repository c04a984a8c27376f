/**
 * The emulator as the sync and download tests start it: the one place they import it from, so that
 * its move (to emulator/index.ts) changes one line here. On 127.0.0.1, port 0.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.js';

export type { Emulator };

export const emulatorWith = (options: EmulatorOptions = {}) => startEmulator({ host: '127.0.0.1', port: 0, ...options });

/** The env that points the CLI at an emulator. */
export const envFor = (emulator: Emulator) => ({
  IMAGEKIT_BASE_URL: emulator.url,
  IMAGEKIT_PRIVATE_KEY: emulator.privateKey,
  IMAGEKIT_URL_ENDPOINT: emulator.urlEndpoint,
});

/** The requests that changed something (anything but GET), or of one kind. */
export const mutatingRequests = (emulator: Emulator) => emulator.requests.filter((r) => r.method !== 'GET');
export const uploadRequests = (emulator: Emulator) => emulator.requests.filter((r) => r.path === '/api/v1/files/upload');
export const purgeRequests = (emulator: Emulator) => emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/files/purge');
