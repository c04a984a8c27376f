// Secrets the emulator is given (origins' keys) stay out of its request log and its files, and a
// client-side upload needs its token: checked over real HTTP on 127.0.0.1.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { useEmulator } from '../helpers/emulator.js';

const ik = useEmulator();
const SECRET = 'origin-secret-that-must-not-leak-1234';

describe('secrets in the emulator', () => {
  it('keeps an origin\'s secret keys out of the request log, and its state files owner-only', async () => {
    await ik.client.origins.create({ type: 'S3', name: 'Bucket origin', bucket: 'assets', accessKey: 'AKIA-not-shown', secretKey: SECRET } as never);
    const logged = JSON.stringify(ik.emulator.requests);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain('AKIA-not-shown');
    expect(logged).toContain('<secret: 37 characters>');
    // The journal holds the account's record, secrets and all: only its owner may read it.
    expect(statSync(join(ik.emulator.store.dataDir, 'journal.jsonl')).mode & 0o777).toBe(0o600);
  });
});
