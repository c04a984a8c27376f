// `imagekit sync` (push and pull) against the emulator over real HTTP on 127.0.0.1.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageKitClient, type FileDetails } from '../../src/client.js';
import { dirWith, runCli, type RunOptions } from '../helpers/cli.js';
import { emulatorWith, envFor, mutatingRequests, purgeRequests, uploadRequests, type Emulator } from '../helpers/emulator.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await emulatorWith();
});
afterAll(() => emulator.close());

/** Where the runs keep the URLs still to purge (the user's cache folder otherwise). */
const cache = dirWith({});
const syncEnv = (e: Emulator = emulator) => ({ ...envFor(e), XDG_CACHE_HOME: cache });
const sync = (argv: string[], options: RunOptions & { on?: Emulator } = {}) => runCli(['sync', ...argv], { env: syncEnv(options.on), now: () => Date.now(), ...options });
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const clientOf = (e: Emulator) => new ImageKitClient({ privateKey: e.privateKey, baseUrl: e.url, uploadBaseUrl: e.url });

/** The remote folder as `path -> {content hash stored, version}`, read through the list API. */
async function remoteState(folder: string, e: Emulator = emulator): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for await (const page of clientOf(e).listPages({ searchQuery: `path : "${folder}/"` })) {
    for (const file of page as FileDetails[]) state[file.filePath] = `${String(file.customMetadata?.ikcliSha256 ?? 'no hash').slice(0, 8)} ${file.versionInfo.name}`;
  }
  return state;
}

/** Every file under a local directory with its content, by relative path. */
function localState(dir: string, prefix = ''): Record<string, string> {
  const state: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix))) {
    const relative = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, relative)).isDirectory()) Object.assign(state, localState(dir, relative));
    else state[relative] = readFileSync(join(dir, relative), 'utf8');
  }
  return state;
}

const site = () => dirWith({ 'dist/index.html': '<html>1</html>', 'dist/js/app.js': 'console.log(1)', 'dist/img/logo.png': 'png-1', 'dist/.hidden': 'x' });
const actionsOf = (stdout: string) => (JSON.parse(stdout) as { actions: Array<{ action: string; path: string; status: string; reason: string }> }).actions;
const changes = (stdout: string) =>
  actionsOf(stdout)
    .filter((a) => a.action !== 'keep')
    .map((a) => `${a.action} ${a.path}`)
    .sort();

describe('imagekit sync: push', () => {
  it('uploads new files, then a same-size edit and only that, storing the SHA-256 of each', async () => {
    const cwd = site();
    const first = await sync(['dist', 'ik:/push', '--json'], { cwd });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/created the custom metadata field ikcliSha256/);
    expect(first.stderr).toMatch(/^3 uploaded, 0 updated, 0 deleted, 0 unchanged, 33 B in /m);
    expect(changes(first.stdout)).toEqual(['upload img/logo.png', 'upload index.html', 'upload js/app.js']);
    expect(await remoteState('/push')).toEqual({
      '/push/index.html': `${sha256('<html>1</html>').slice(0, 8)} Version 1`,
      '/push/js/app.js': `${sha256('console.log(1)').slice(0, 8)} Version 1`,
      '/push/img/logo.png': `${sha256('png-1').slice(0, 8)} Version 1`,
    });

    writeFileSync(join(cwd, 'dist/js/app.js'), 'console.log(2)'); // the same size
    writeFileSync(join(cwd, 'dist/new.txt'), 'new');
    const uploadsBefore = uploadRequests(emulator).length;
    const second = await sync(['dist', 'ik:/push', '--json'], { cwd });
    expect(second.code).toBe(0);
    expect(changes(second.stdout)).toEqual(['update js/app.js', 'upload new.txt']);
    expect(actionsOf(second.stdout).find((a) => a.path === 'js/app.js')!.reason).toBe('content changed (SHA-256)');
    expect(uploadRequests(emulator).length - uploadsBefore).toBe(2);
    expect((await remoteState('/push'))['/push/js/app.js']).toBe(`${sha256('console.log(2)').slice(0, 8)} Version 2`);
  });

  it('changes nothing on a second run: no upload, delete or purge request, one list call', async () => {
    const cwd = site();
    expect((await sync(['dist', 'ik:/noop', '--delete', '--purge'], { cwd })).code).toBe(0);
    const before = emulator.requests.length;
    const again = await sync(['dist', 'ik:/noop', '--delete', '--purge'], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/^0 uploaded, 0 updated, 0 deleted, 3 unchanged, 0 B in /m);
    const sent = emulator.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/files']);
  });

  it('re-uploads once a file that has no stored SHA-256, unless --size-only', async () => {
    const cwd = dirWith({ 'site/a.txt': 'aaa', 'site/b.txt': 'bbb' });
    // Uploaded by something else: no hash stored.
    const client = clientOf(emulator);
    for (const name of ['a.txt', 'b.txt']) await client.upload({ bytes: Buffer.from(name[0]!.repeat(3)) }, { fileName: name, folder: '/foreign', useUniqueFileName: false });
    const sizeOnly = await sync(['site', 'ik:/foreign', '--size-only', '--json'], { cwd });
    expect(changes(sizeOnly.stdout)).toEqual([]);
    const dry = await sync(['site', 'ik:/foreign', '--dry-run'], { cwd });
    expect(dry.stdout).toBe('update\ta.txt\t3 B\tno stored SHA-256 (uploaded by something else): uploaded once to store it\nupdate\tb.txt\t3 B\tno stored SHA-256 (uploaded by something else): uploaded once to store it\n');
    expect((await sync(['site', 'ik:/foreign'], { cwd })).code).toBe(0);
    const third = await sync(['site', 'ik:/foreign', '--json'], { cwd });
    expect(changes(third.stdout)).toEqual([]);
    expect(await remoteState('/foreign')).toEqual({ '/foreign/a.txt': `${sha256('aaa').slice(0, 8)} Version 2`, '/foreign/b.txt': `${sha256('bbb').slice(0, 8)} Version 2` });
  });

  it('deletes remote files absent locally with --delete, leaving excluded and hidden ones', async () => {
    const cwd = dirWith({ 'd/keep.txt': 'k', 'd/gone.txt': 'g', 'd/app.js.map': 'm', 'd/sub/x.txt': 'x' });
    expect((await sync(['d', 'ik:/del', '--hidden'], { cwd })).code).toBe(0);
    await clientOf(emulator).upload({ bytes: Buffer.from('h') }, { fileName: '.secret', folder: '/del', useUniqueFileName: false });
    await clientOf(emulator).upload({ bytes: Buffer.from('s') }, { fileName: 'sibling.txt', folder: '/del-old', useUniqueFileName: false });
    rmSync(join(cwd, 'd/gone.txt'));
    rmSync(join(cwd, 'd/app.js.map'));
    rmSync(join(cwd, 'd/sub'), { recursive: true });
    const result = await sync(['d', 'ik:/del', '--delete', '--exclude', '*.map', '--json'], { cwd });
    expect(result.code).toBe(0);
    expect(changes(result.stdout)).toEqual(['delete gone.txt', 'delete sub/x.txt']);
    expect(Object.keys(await remoteState('/del')).sort()).toEqual(['/del/.secret', '/del/app.js.map', '/del/keep.txt']);
    expect(Object.keys(await remoteState('/del-old'))).toEqual(['/del-old/sibling.txt']);
  });

  it('refuses the whole run past --max-delete, changing nothing and saying how to go ahead', async () => {
    const files = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`m/f${i}.txt`, `${i}`]));
    const cwd = dirWith(files);
    expect((await sync(['m', 'ik:/max'], { cwd })).code).toBe(0);
    for (let i = 0; i < 4; i++) rmSync(join(cwd, `m/f${i}.txt`));
    writeFileSync(join(cwd, 'm/new.txt'), 'n');
    const before = mutatingRequests(emulator).length;
    const refused = await sync(['m', 'ik:/max', '--delete', '--max-delete', '3'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to delete 4 files, more than --max-delete 3: nothing was changed.*--dry-run.*--max-delete 4/);
    expect(mutatingRequests(emulator).length).toBe(before);
    const dry = await sync(['m', 'ik:/max', '--delete', '--max-delete', '3', '--dry-run'], { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout.split('\n').filter((l) => l.startsWith('delete'))).toHaveLength(4);
    expect((await sync(['m', 'ik:/max', '--delete', '--max-delete', '4'], { cwd })).code).toBe(0);
    expect(Object.keys(await remoteState('/max')).sort()).toEqual(['/max/f4.txt', '/max/new.txt']);
  });

  it('purges exactly the URLs overwritten or deleted, in one batch, waiting with --wait', async () => {
    const cwd = dirWith({ 'p/same.txt': 's', 'p/changed.txt': 'c1', 'p/removed.txt': 'r' });
    expect((await sync(['p', 'ik:/purge', '--purge'], { cwd })).code).toBe(0); // all new: nothing cached, nothing purged
    expect(purgeRequests(emulator).filter((r) => String((r.body as { url: string }).url).includes('/purge/'))).toHaveLength(0);
    writeFileSync(join(cwd, 'p/changed.txt'), 'c2');
    writeFileSync(join(cwd, 'p/added.txt'), 'a');
    rmSync(join(cwd, 'p/removed.txt'));
    const before = purgeRequests(emulator).length;
    const result = await sync(['p', 'ik:/purge', '--delete', '--purge', '--wait', '--json'], { cwd });
    expect(result.code).toBe(0);
    const purged = purgeRequests(emulator).slice(before).map((r) => (r.body as { url: string }).url).sort();
    expect(purged).toEqual([`${emulator.urlEndpoint}/purge/changed.txt`, `${emulator.urlEndpoint}/purge/removed.txt`]);
    const report = JSON.parse(result.stdout);
    expect(report.counts).toEqual({ uploaded: 1, updated: 1, deleted: 1, unchanged: 1, failed: 0, held: 0, purged: 2 });
    expect(report.purges.map((p: { status: string }) => p.status)).toEqual(['Completed', 'Completed']);
  });

  it('sends nothing that changes anything with --dry-run, printing the plan as a table on a terminal', async () => {
    const cwd = site();
    await sync(['dist', 'ik:/dry'], { cwd });
    writeFileSync(join(cwd, 'dist/index.html'), '<html>2</html>');
    rmSync(join(cwd, 'dist/img/logo.png'));
    writeFileSync(join(cwd, 'dist/new.css'), 'a{}');
    const before = mutatingRequests(emulator).length;
    const result = await sync(['dist', 'ik:/dry', '--delete', '--purge', '--dry-run'], { cwd, tty: { stdout: true }, env: { ...syncEnv(), NO_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(mutatingRequests(emulator).length).toBe(before);
    expect(result.stdout).toMatch(/│ action +│ path +│ size +│ reason/);
    for (const row of [/│ update +│ index\.html +│ 14 B +│ content changed \(SHA-256\)/, /│ upload +│ new\.css +│ 3 B +│ new/, /│ keep +│ js\/app\.js +│ 14 B +│ same SHA-256/, /│ delete +│ img\/logo\.png +│ 5 B +│ not in dist/]) {
      expect(result.stdout).toMatch(row);
    }
    expect(result.stderr).toMatch(/dry run: 1 to upload, 1 to update, 1 to delete, 1 unchanged; nothing was changed/);
  });

  it('streams one JSON line per action with --ndjson, and keeps stdout for data when piped', async () => {
    const cwd = site();
    const result = await sync(['dist', 'ik:/nd', '--ndjson'], { cwd });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.action} ${l.path} ${l.status}`).sort()).toEqual(['upload img/logo.png done', 'upload index.html done', 'upload js/app.js done']);
    expect(result.stderr).toMatch(/3 uploaded/);
    writeFileSync(join(cwd, 'dist/index.html'), 'changed!');
    const piped = await sync(['dist', 'ik:/nd'], { cwd });
    expect(piped.stdout).toBe('update\tindex.html\t8 B\tsize changed\n');
  });

  it('draws the progress line on a terminal, then the summary', async () => {
    const result = await sync(['dist', 'ik:/tty'], { cwd: site(), tty: { stdout: true, stderr: true } });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/\r\x1b\[2K\d\/3 files, /);
    expect(result.stderr).toMatch(/3 uploaded, 0 updated, 0 deleted, 0 unchanged, 33 B in \d+\.\ds\n$/);
  });

  it('ends with the exact end state through failures, resets and rate limits', async () => {
    const faulty = await emulatorWith({ failRate: 0.2, resetRate: 0.1, rateLimit: { limit: 8, intervalMs: 200 }, seed: 5 });
    try {
      const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f/d${i % 3}/n${i}.txt`, `content ${i}`]));
      const cwd = dirWith(files);
      const first = await sync(['f', 'ik:/faults', '--retries', '12'], { cwd, on: faulty });
      expect(first.code).toBe(0);
      for (let i = 0; i < 10; i++) writeFileSync(join(cwd, `f/d${i % 3}/n${i}.txt`), `CONTENT ${i}`);
      for (let i = 20; i < 30; i++) rmSync(join(cwd, `f/d${i % 3}/n${i}.txt`));
      const second = await sync(['f', 'ik:/faults', '--retries', '12', '--delete', '--purge', '--json'], { cwd, on: faulty });
      expect(second.code).toBe(0);
      expect(faulty.requests.filter((r) => r.status === 0 || (r.status ?? 0) >= 500).length).toBeGreaterThan(5);
      expect(faulty.requests.some((r) => r.status === 429)).toBe(true);
      faulty.configure({ failRate: 0, resetRate: 0, rateLimit: undefined });
      const expected = Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [`/faults/d${i % 3}/n${i}.txt`, `${sha256(`${i < 10 ? 'CONTENT' : 'content'} ${i}`).slice(0, 8)} Version ${i < 10 ? 2 : 1}`]),
      );
      expect(await remoteState('/faults', faulty)).toEqual(expected);
      const purged = purgeRequests(faulty).filter((r) => r.status === 201).map((r) => (r.body as { url: string }).url).sort();
      expect(purged).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => i + 20)].map((i) => `${faulty.urlEndpoint}/faults/d${i % 3}/n${i}.txt`).sort());
    } finally {
      await faulty.close();
    }
  }, 60_000);

  it('lists a failed upload, holds the deletions back, and a re-run finishes the job', async () => {
    const cwd = dirWith({ 'h/a.txt': 'a', 'h/b.txt': 'b', 'h/old.txt': 'o' });
    expect((await sync(['h', 'ik:/held', '--purge'], { cwd })).code).toBe(0);
    rmSync(join(cwd, 'h/old.txt'));
    writeFileSync(join(cwd, 'h/a.txt'), 'A2');
    // The upload API refuses a folder name with a +: that one upload fails, the others go on.
    mkdirSync(join(cwd, 'h/bad+dir'));
    writeFileSync(join(cwd, 'h/bad+dir/x.txt'), 'x');
    const before = purgeRequests(emulator).length;
    const partial = await sync(['h', 'ik:/held', '--delete', '--purge', '--json'], { cwd });
    expect(partial.code).toBe(5);
    expect(partial.stderr).toMatch(/^error: h\/bad\+dir\/x\.txt: Your request contains invalid folder parameter/m);
    expect(partial.stderr).toMatch(/1 deletion\(s\) held back: 1 transfer\(s\) failed; a re-run makes them/);
    expect(actionsOf(partial.stdout).filter((a) => a.action !== 'keep').map((a) => `${a.action} ${a.path} ${a.status}`).sort()).toEqual([
      'delete old.txt held',
      'update a.txt done',
      'upload bad+dir/x.txt failed',
    ]);
    expect(Object.keys(await remoteState('/held')).sort()).toEqual(['/held/a.txt', '/held/b.txt', '/held/old.txt']);
    expect(purgeRequests(emulator).length).toBe(before);
    rmSync(join(cwd, 'h/bad+dir'), { recursive: true });
    const rerun = await sync(['h', 'ik:/held', '--delete', '--purge', '--json'], { cwd });
    expect(rerun.code).toBe(0);
    expect(changes(rerun.stdout)).toEqual(['delete old.txt']);
    expect(Object.keys(await remoteState('/held')).sort()).toEqual(['/held/a.txt', '/held/b.txt']);
    // The URL overwritten by the failed run is purged by the re-run, with the one it deleted.
    expect(purgeRequests(emulator).slice(before).map((r) => (r.body as { url: string }).url).sort()).toEqual([`${emulator.urlEndpoint}/held/a.txt`, `${emulator.urlEndpoint}/held/old.txt`]);
  });

  it('stops on Ctrl-C (exit 130) with nothing half done, and a re-run does only what is left', async () => {
    const slow = await emulatorWith({ latencyMs: 60 });
    try {
      const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`i/f${i}.txt`, `v1 ${i}`]));
      const cwd = dirWith({ ...files, 'i/old.txt': 'old' });
      expect((await sync(['i', 'ik:/int', '--concurrency', '4'], { cwd, on: slow })).code).toBe(0);
      for (let i = 0; i < 6; i++) writeFileSync(join(cwd, `i/f${i}.txt`), `v2 ${i}`);
      rmSync(join(cwd, 'i/old.txt'));
      const uploadsBefore = uploadRequests(slow).length;
      // Ctrl-C once the first upload of the run is under way.
      const interrupt = new Promise<string>((resolve) => {
        const timer = setInterval(() => {
          if (uploadRequests(slow).length > uploadsBefore) {
            clearInterval(timer);
            resolve('SIGINT');
          }
        }, 2);
      });
      const stopped = await sync(['i', 'ik:/int', '--delete', '--purge', '--concurrency', '1', '--json'], { cwd, on: slow, interrupt });
      expect(stopped.code).toBe(130);
      expect(stopped.stderr).toMatch(/5 file\(s\) not uploaded: interrupted/);
      expect(stopped.stderr).toMatch(/1 deletion\(s\) held back: the run was interrupted/);
      const state = await remoteState('/int', slow);
      expect(state['/int/old.txt']).toBeDefined();
      expect(Object.values(state).filter((v) => v.endsWith('Version 2'))).toHaveLength(1);
      expect(purgeRequests(slow)).toHaveLength(0);

      const uploadsBetween = uploadRequests(slow).length;
      const rerun = await sync(['i', 'ik:/int', '--delete', '--purge', '--json'], { cwd, on: slow });
      expect(rerun.code).toBe(0);
      expect(uploadRequests(slow).length - uploadsBetween).toBe(5);
      expect(changes(rerun.stdout).filter((c) => c.startsWith('update'))).toHaveLength(5);
      expect(changes(rerun.stdout)).toContain('delete old.txt');
      const final = await remoteState('/int', slow);
      expect(Object.keys(final).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `/int/f${i}.txt`));
      expect(Object.values(final).every((v) => v.endsWith('Version 2'))).toBe(true);
      // Every overwritten or deleted URL is purged, the one overwritten before Ctrl-C too.
      const purged = purgeRequests(slow).map((r) => (r.body as { url: string }).url).sort();
      expect(purged).toEqual([...Array.from({ length: 6 }, (_, i) => `f${i}.txt`), 'old.txt'].map((name) => `${slow.urlEndpoint}/int/${name}`).sort());
    } finally {
      await slow.close();
    }
  }, 30_000);

  it.each([
    [['dist', 'other'], /one local directory and one remote folder .*two local paths/],
    [['ik:/a', 'ik:/b'], /two remote folders/],
    [['missing', 'ik:/x'], /no such directory: missing/],
    [['ik:/x', 'missing'], /no such directory: missing \(create it first\)/],
    [['dist/index.html', 'ik:/x'], /dist\/index\.html is not a directory/],
    [['dist', 'ik:/a/../b'], /must not contain \.\./],
    [['ik:/x', 'dist', '--purge'], /--purge, --tags, --meta and --keep-\* are for a push/],
    [['dist', 'ik:/x', '--wait'], /--wait waits for the purges of --purge/],
    [['dist', 'ik:/x', '--max-delete', '-1'], /--max-delete takes a whole number of at least 0/],
  ])('refuses %j before sending anything (exit 2)', async (argv, message) => {
    const before = emulator.requests.length;
    const result = await sync(argv, { cwd: site() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(emulator.requests.length).toBe(before);
  });
});

describe('imagekit sync: pull', () => {
  it('pulls a folder byte-identical, then downloads nothing on a re-run', async () => {
    const cwd = dirWith({ 'src/a.txt': 'alpha', 'src/deep/er/b.bin': 'beta', 'backup/.keep': '' });
    writeFileSync(join(cwd, 'src/bytes.bin'), Buffer.from([0, 255, 1, 254, 10, 13]));
    expect((await sync(['src', 'ik:/round'], { cwd })).code).toBe(0);
    const pulled = await sync(['ik:/round', 'backup', '--json'], { cwd });
    expect(pulled.code).toBe(0);
    expect(changes(pulled.stdout)).toEqual(['download a.txt', 'download bytes.bin', 'download deep/er/b.bin']);
    for (const name of ['a.txt', 'bytes.bin', 'deep/er/b.bin']) expect(readFileSync(join(cwd, 'backup', name)).equals(readFileSync(join(cwd, 'src', name)))).toBe(true);
    expect(readdirSync(join(cwd, 'backup')).filter((n) => n.endsWith('.download'))).toEqual([]);

    const mtime = statSync(join(cwd, 'backup/a.txt')).mtimeMs;
    const again = await sync(['ik:/round', 'backup', '--json'], { cwd });
    expect(again.code).toBe(0);
    expect(changes(again.stdout)).toEqual([]);
    expect(actionsOf(again.stdout).map((a) => a.reason)).toEqual(['same SHA-256', 'same SHA-256', 'same SHA-256']);
    expect(statSync(join(cwd, 'backup/a.txt')).mtimeMs).toBe(mtime);
    expect(again.stderr).toMatch(/^0 downloaded, 0 updated, 0 deleted, 3 unchanged, 0 B in /m);
  });

  it('downloads a same-size local edit again, and deletes local files absent remotely with --delete', async () => {
    const cwd = dirWith({ 'src/a.txt': 'alpha', 'src/b.txt': 'beta', 'local/.keep': '' });
    await sync(['src', 'ik:/pulldel'], { cwd });
    await sync(['ik:/pulldel', 'local'], { cwd });
    writeFileSync(join(cwd, 'local/a.txt'), 'ALPHA');
    writeFileSync(join(cwd, 'local/extra.txt'), 'extra');
    mkdirSync(join(cwd, 'local/more'));
    writeFileSync(join(cwd, 'local/more/x.txt'), 'x');
    const result = await sync(['ik:/pulldel', 'local', '--delete', '--json'], { cwd });
    expect(result.code).toBe(0);
    expect(changes(result.stdout)).toEqual(['delete extra.txt', 'delete more/x.txt', 'update a.txt']);
    expect(localState(join(cwd, 'local'))).toEqual({ '.keep': '', 'a.txt': 'alpha', 'b.txt': 'beta' });
    const refused = await sync(['ik:/pulldel', 'local', '--delete', '--max-delete', '0'], { cwd: dirWith({ 'local/x.txt': 'x' }) });
    expect(refused.code).toBe(2);
  });

  it('fetches private files through signed URLs, and exits 4 for a folder that does not exist', async () => {
    const cwd = dirWith({ 'out/.keep': '' });
    await clientOf(emulator).upload({ bytes: Buffer.from('secret') }, { fileName: 'p.txt', folder: '/private', useUniqueFileName: false, isPrivateFile: true });
    const result = await sync(['ik:/private', 'out'], { cwd });
    expect(result.code).toBe(0);
    expect(readFileSync(join(cwd, 'out/p.txt'), 'utf8')).toBe('secret');
    const missing = await sync(['ik:/no-such-folder', 'out', '--delete'], { cwd });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no folder ik:\/no-such-folder/);
    expect(readFileSync(join(cwd, 'out/p.txt'), 'utf8')).toBe('secret');
  });
});
