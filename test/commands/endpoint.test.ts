// `imagekit endpoint` against the emulator over real HTTP on 127.0.0.1: URL endpoints by id or
// prefix, their origins named by id or name and kept in order, and URL rewriters.
import { runCli, type RunOptions } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

const ik = useEmulator();
const run = (argv: string[], options: RunOptions = {}) => runCli(argv, { env: ik.env, ...options });
const { mutations } = ik;
const json = async (argv: string[]) => JSON.parse((await run([...argv, '--json'])).stdout);

describe('imagekit endpoint', () => {
  it('creates endpoints with origins in order, updates what is given, and keeps the default', async () => {
    const proxy = await json(['origin', 'create', '--type', 'WEB_PROXY', '--name', 'Proxy']);
    const folder = await json(['origin', 'create', '--type', 'WEB_FOLDER', '--name', 'Old site', '--url', 'https://www.example.com']);
    const created = await json(['endpoint', 'create', '--prefix', 'legacy', '--description', 'old images', '--origin', 'Old site', '--origin', proxy.id, '--rewriter', 'cloudinary', '--preserve-asset-delivery-types']);
    expect(created).toEqual({
      id: expect.any(String),
      description: 'old images',
      urlPrefix: 'legacy',
      origins: [folder.id, proxy.id],
      urlRewriter: { type: 'CLOUDINARY', preserveAssetDeliveryTypes: true },
    });
    const listed = await run(['endpoint', 'ls']);
    expect(listed.stdout).toMatch(/^default\t\t\t\tDefault URL endpoint$/m);
    expect(listed.stdout).toMatch(new RegExp(`^${created.id}\\tlegacy\\t${folder.id}, ${proxy.id}\\tCLOUDINARY\\told images$`, 'm'));
    expect((await run(['endpoint', 'get', 'legacy'])).stdout).toMatch(/^prefix\tlegacy$/m);

    const reordered = await json(['endpoint', 'update', 'legacy', '--origin', 'Proxy', '--origin', 'Old site', '--rewriter', 'none']);
    expect(reordered).toEqual({ id: created.id, description: 'old images', urlPrefix: 'legacy', origins: [proxy.id, folder.id] });
    expect(await json(['endpoint', 'update', created.id, '--description', 'legacy site'])).toMatchObject({ description: 'legacy site', origins: [proxy.id, folder.id] });
    expect(await json(['endpoint', 'update', 'legacy', '--clear-origins'])).toMatchObject({ origins: [] });
    expect(await json(['endpoint', 'update', 'default', '--origin', 'Proxy'])).toMatchObject({ id: 'default', urlPrefix: '', origins: [proxy.id] });

    expect((await run(['endpoint', 'rm', 'default', '--yes'])).code).toBe(1);
    expect((await run(['endpoint', 'rm', 'legacy', '--dry-run'])).stdout).toMatch(/^deleted\tfalse$/m);
    expect((await run(['endpoint', 'rm', 'legacy', '--yes'])).code).toBe(0);
    expect((await run(['endpoint', 'get', 'legacy'])).code).toBe(4);
  });

  it('refuses what cannot work before sending it', async () => {
    const before = mutations();
    expect((await run(['endpoint', 'create', '--description', 'no prefix'])).code).toBe(2);
    expect((await run(['endpoint', 'create', '--prefix', 'bad_prefix', '--description', 'x'])).code).toBe(2);
    expect((await run(['endpoint', 'create', '--prefix', 'p', '--description', 'x', '--origin', 'no such origin'])).code).toBe(4);
    expect((await run(['endpoint', 'create', '--prefix', 'p', '--description', 'x', '--rewriter', 'fastly'])).code).toBe(2);
    expect((await run(['endpoint', 'create', '--prefix', 'p', '--description', 'x', '--preserve-asset-delivery-types'])).code).toBe(2);
    expect((await run(['endpoint', 'update', 'default'])).stderr).toMatch(/nothing to update/);
    expect(mutations()).toBe(before);
  });
});
