// The data folder: one emulator at a time (a stale lock is taken over), the key pair kept with the
// data, and saved state that cannot be read named in the error, with how to recover; a torn last
// journal line (a batch never acknowledged) is dropped.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LockHeldError, startEmulator, UnreadableStateError } from '../../../emulator/index.js';
import { runCli } from '../../helpers/cli.js';
import { spawnEmulator } from './emulator-process.js';
import { temporaryFolder } from './temporary-folder.js';

const newDataDir = () => temporaryFolder('imagekit-folder-');

describe('one emulator per data folder', () => {
  it('refuses a second emulator on the folder, naming it and the holder', async () => {
    const dataDir = newDataDir();
    const first = await startEmulator({ dataDir });
    try {
      const second = startEmulator({ dataDir });
      await expect(second).rejects.toThrow(LockHeldError);
      await expect(second).rejects.toThrow(`the data folder ${dataDir} is in use by another emulator (pid ${process.pid})`);
    } finally {
      await first.close();
    }
    await (await startEmulator({ dataDir })).close();
  });

  it('makes `imagekit emulator` exit 2 with a plain message while another process holds it', async () => {
    const dataDir = newDataDir();
    const holder = await spawnEmulator(['--data', dataDir]);
    try {
      const result = await runCli(['emulator', '--data', dataDir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`the data folder ${dataDir} is in use by another emulator (pid ${holder.pid})`);
    } finally {
      holder.child.kill('SIGTERM');
      await holder.exited;
    }
  }, 20_000);

  it('takes over the lock of an emulator that is gone', async () => {
    const dataDir = newDataDir();
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dataDir, 'emulator.lock'), `${gone}\n`);
    const emulator = await startEmulator({ dataDir });
    try {
      expect(readFileSync(join(dataDir, 'emulator.lock'), 'utf8').trim()).toBe(String(process.pid));
    } finally {
      await emulator.close();
    }
  });
});

describe('the key pair', () => {
  it('is kept with the data, owner-only, unless keys are given', async () => {
    const dataDir = newDataDir();
    const first = await startEmulator({ dataDir });
    await first.close();
    expect(statSync(join(dataDir, 'keys.json')).mode & 0o777).toBe(0o600);
    const again = await startEmulator({ dataDir });
    await again.close();
    expect([again.privateKey, again.publicKey]).toEqual([first.privateKey, first.publicKey]);
    const given = await startEmulator({ dataDir, privateKey: 'private_given' });
    await given.close();
    expect([given.privateKey, given.publicKey]).toEqual(['private_given', first.publicKey]);
  });
});

describe('saved state that cannot be read', () => {
  it('is named in the error, with how to recover, and `imagekit emulator` exits 1', async () => {
    const dataDir = newDataDir();
    const index = join(dataDir, 'index.json');
    writeFileSync(index, '{"generation": 3, "collections": {"files": [');
    const starting = startEmulator({ dataDir });
    await expect(starting).rejects.toThrow(UnreadableStateError);
    await expect(starting).rejects.toThrow(`cannot read the emulator's saved state in ${index}: Unexpected end of JSON input. Restore that file from a backup`);
    const result = await runCli(['emulator', '--data', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(index);
  });

  it('drops a torn last line of the journal, and refuses damage before it', async () => {
    const dataDir = newDataDir();
    const folder = (path: string) => JSON.stringify([['folders', path, { folderId: path, path, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z' }]]);
    writeFileSync(join(dataDir, 'journal.jsonl'), `{"generation":0}\n${folder('/kept')}\n${folder('/torn').slice(0, 30)}`);
    const emulator = await startEmulator({ dataDir });
    await emulator.close();
    expect([...emulator.store.folders.keys()]).toEqual(['/kept']);

    const damaged = newDataDir();
    writeFileSync(join(damaged, 'journal.jsonl'), `{"generation":0}\n${folder('/a').slice(0, 30)}\n${folder('/b')}\n`);
    await expect(startEmulator({ dataDir: damaged })).rejects.toThrow(`${join(damaged, 'journal.jsonl')}: line 2 is not a journal entry`);
  });
});
