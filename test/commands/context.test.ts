// The command layer's context and exit codes, against the emulator over real HTTP on 127.0.0.1.
import { ImageKitClient } from '../../src/client.js';
import { Context } from '../../commands/cli/context.js';
import { batchExitCode, exitCodeFor } from '../../commands/cli/errors.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { fakeIO } from '../helpers/cli.js';

let emulator: Emulator;
const clientFor = (e: Emulator, options: Partial<ConstructorParameters<typeof ImageKitClient>[0]> = {}) =>
  new ImageKitClient({ privateKey: e.privateKey, baseUrl: e.url, uploadBaseUrl: e.url, sleep: async () => {}, ...options });

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('the command layer', () => {
  it('builds the client from the settings, and tells each retry with --verbose', async () => {
    const failing = await startEmulator({ failRate: 1 });
    try {
      const { io, output } = fakeIO({ env: { IMAGEKIT_BASE_URL: failing.url, IMAGEKIT_PRIVATE_KEY: failing.privateKey } });
      const context = new Context(io, { verbose: true, retries: 1, timeout: 5 });
      const error = await (await context.client()).listFiles().catch((e: unknown) => e);
      expect(error).toMatchObject({ status: expect.any(Number) });
      expect(output().stderr).toMatch(/^retry 1\/1 of GET \/v1\/files in \d+ ms: 50[03] /);
      expect(output().stderr).not.toContain(failing.privateKey);
      expect(failing.requests.every((r) => r.path === '/v1/files')).toBe(true);
    } finally {
      await failing.close();
    }
  });

  it('needs the private key (exit code 3)', async () => {
    const error = await new Context(fakeIO({ env: {} }).io, {}).client().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/IMAGEKIT_PRIVATE_KEY/);
    expect(exitCodeFor(error)).toBe(3);
  });

  it('maps each API error to the contract\'s exit code', async () => {
    const client = clientFor(emulator, { retries: 0 });
    const codeOf = (promise: Promise<unknown>) => promise.then(() => 0, exitCodeFor);
    expect(await codeOf(client.listFiles({ limit: 0 }))).toBe(1);
    expect(await codeOf(client.upload({ path: '/no/such/file.png' }, { fileName: 'x.png' }))).toBe(2);
    expect(await codeOf(clientFor(emulator, { privateKey: 'private_wrong' }).listFiles())).toBe(3);
    expect(await codeOf(clientFor(emulator, { privateKey: '' }).listFiles())).toBe(3);
    expect(await codeOf(client.getFileDetails('000000000000000000000000'))).toBe(4);
    const file = await client.upload({ bytes: Buffer.from('x') }, { fileName: 'exit.txt', folder: '/exit' });
    expect(await codeOf(client.addTags([file.fileId, '000000000000000000000000'], ['t']))).toBe(5);
    await client.upload({ bytes: Buffer.from('x') }, { fileName: 'taken.txt', folder: '/exit', useUniqueFileName: false });
    expect(await codeOf(client.renameFile(file.filePath, 'taken.txt'))).toBe(1);
    expect(await codeOf(clientFor(emulator, { baseUrl: 'http://127.0.0.1:9', retries: 0 }).listFiles())).toBe(1);
  });

  it('has one rule for commands on many items: 0 none failed, 5 some, the shared cause or 1 when all failed', () => {
    expect(batchExitCode(3, [])).toBe(0);
    expect(batchExitCode(3, [1])).toBe(5);
    expect(batchExitCode(2, [4, 4])).toBe(4);
    expect(batchExitCode(2, [3, 3])).toBe(3);
    expect(batchExitCode(2, [3, 1])).toBe(1);
    expect(batchExitCode(1, [2])).toBe(1);
  });
});

describe('signals', () => {
  it('stops listening for Ctrl-C once the wait is over, so a later Ctrl-C stops the program', async () => {
    const { systemIO } = await import('../../commands/cli/io.js');
    const before = process.listenerCount('SIGINT');
    const listening = new AbortController();
    void systemIO().interrupted(listening.signal);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    listening.abort();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
