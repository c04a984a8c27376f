// `imagekit origin` against the emulator over real HTTP on 127.0.0.1: every origin type, secrets read
// from env or stdin only, and never in any output (every run's stdout and stderr is searched).
import { dirWith, runCli, type RunOptions, type RunResult } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

const SECRETS = {
  AWS_KEY: 'AKIA_TEST_ACCESS_KEY_1234',
  AWS_SECRET: 'aws-secret/Key+Value/9876543210',
  GCS_KEY: '-----BEGIN PRIVATE KEY-----gcs-test-key',
  SAS: 'sv=2024-01-01&sig=azure-sas-signature',
  AKENEO_SECRET: 'akeneo-client-secret-value',
  AKENEO_PASSWORD: 'akeneo-password-value',
};

const ik = useEmulator();
const { mutations } = ik;
const outputs: RunResult[] = [];

async function run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await runCli(argv, { ...options, env: { ...ik.env, ...SECRETS, ...options.env } });
  outputs.push(result);
  return result;
}
const json = async (argv: string[], options: RunOptions = {}) => {
  const result = await run([...argv, '--json'], options);
  if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout);
};

describe('imagekit origin', () => {
  it('creates every type of origin, with secrets from env or stdin', async () => {
    const s3 = await json(['origin', 'create', '--type', 's3', '--name', 'US S3', '--bucket', 'products', '--prefix', 'raw', '--access-key-env', 'AWS_KEY', '--secret-key-env', 'AWS_SECRET']);
    expect(s3).toEqual({ id: expect.any(String), type: 'S3', name: 'US S3', bucket: 'products', prefix: 'raw', useIAMRole: false, includeCanonicalHeader: false });
    expect(ik.emulator.store.account.origins.find((o) => o.id === s3.id)).toMatchObject({ accessKey: SECRETS.AWS_KEY, secretKey: SECRETS.AWS_SECRET });

    const compatible = await json(['origin', 'create', '--type', 'S3_COMPATIBLE', '--name', 'Minio', '--bucket', 'b', '--s3-endpoint', 'https://minio.example.com', '--s3-force-path-style', '--secrets-stdin'], {
      stdin: JSON.stringify({ accessKey: SECRETS.AWS_KEY, secretKey: SECRETS.AWS_SECRET }),
    });
    expect(compatible).toMatchObject({ type: 'S3_COMPATIBLE', endpoint: 'https://minio.example.com', s3ForcePathStyle: true });
    const viaStdin = await run(['origin', 'create', '--type', 'CLOUDINARY_BACKUP', '--name', 'Cld backup', '--bucket', 'cld', '--secrets-stdin', '--json'], {
      stdin: JSON.stringify({ accessKey: SECRETS.AWS_KEY, secretKey: SECRETS.AWS_SECRET }),
    });
    expect(viaStdin.code).toBe(0);
    expect(ik.emulator.store.account.origins.find((o) => o.name === 'Cld backup')).toMatchObject({ secretKey: SECRETS.AWS_SECRET });
    await json(['origin', 'create', '--type', 'S3', '--name', 'By role', '--bucket', 'b', '--use-iam-role']);
    await json(['origin', 'create', '--type', 'WEB_FOLDER', '--name', 'Old site', '--url', 'https://www.example.com/img', '--forward-host-header']);
    await json(['origin', 'create', '--type', 'WEB_PROXY', '--name', 'Proxy', '--canonical-url', 'https://cdn.example.com']);
    await json(['origin', 'create', '--type', 'GCS', '--name', 'Archive', '--bucket', 'g', '--client-email', 'svc@p.iam.gserviceaccount.com', '--private-key-env', 'GCS_KEY']);
    await json(['origin', 'create', '--type', 'AZURE_BLOB', '--name', 'Azure', '--account-name', 'acct', '--container', 'media', '--sas-token-env', 'SAS']);
    const akeneoFile = dirWith({ 'akeneo.json': { type: 'AKENEO_PIM', name: 'PIM', baseUrl: 'https://pim.example.com', clientId: 'cid', username: 'api', clientSecret: SECRETS.AKENEO_SECRET } });
    const akeneo = await json(['origin', 'create', '--fields', '@akeneo.json', '--password-env', 'AKENEO_PASSWORD'], { cwd: akeneoFile });
    expect(akeneo).toEqual({ id: expect.any(String), type: 'AKENEO_PIM', name: 'PIM', baseUrl: 'https://pim.example.com', includeCanonicalHeader: false });

    const listed = await run(['origin', 'ls']);
    expect(listed.stdout).toMatch(new RegExp(`^${s3.id}\\tUS S3\\tS3\\tproducts$`, 'm'));
    expect(listed.stdout.trim().split('\n')).toHaveLength(9);
    const table = await run(['origin', 'ls'], { env: { NO_COLOR: '1' }, tty: { stdout: true }, columns: 200 });
    expect(table.stdout).toMatch(/│ id +│ name +│ type +│ source +│/);
    expect(JSON.parse((await run(['origin', 'get', 'US S3', '--json', 'name,bucket'])).stdout)).toEqual({ name: 'US S3', bucket: 'products' });
    expect((await run(['origin', 'get', 'Azure'])).stdout).toMatch(/^container\tmedia$/m);
  });

  it('refuses secrets in plain flags and incomplete origins before sending anything', async () => {
    const before = mutations();
    const inline = await run(['origin', 'create', '--fields', JSON.stringify({ type: 'S3', name: 'Inline', bucket: 'b', accessKey: SECRETS.AWS_KEY, secretKey: SECRETS.AWS_SECRET })]);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toMatch(/secrets \(accessKey, secretKey\) are not taken inline/);
    expect((await run(['origin', 'create', '--type', 'S3', '--name', 'X', '--bucket', 'b', '--secret-key', 'x'])).code).toBe(2);
    const noSecret = await run(['origin', 'create', '--type', 'S3', '--name', 'X', '--bucket', 'b', '--access-key-env', 'AWS_KEY']);
    expect(noSecret).toMatchObject({ code: 2, stderr: expect.stringMatching(/needs --secret-key-env <VAR>, or --secrets-stdin/) });
    expect((await run(['origin', 'create', '--type', 'S3', '--name', 'X', '--bucket', 'b', '--access-key-env', 'UNSET_VAR', '--secret-key-env', 'AWS_SECRET'])).stderr).toMatch(/UNSET_VAR is not set/);
    expect((await run(['origin', 'create', '--type', 'GCS', '--name', 'X', '--private-key-env', 'GCS_KEY'])).stderr).toMatch(/needs --bucket, --client-email/);
    expect((await run(['origin', 'create', '--name', 'X'])).stderr).toMatch(/give --type/);
    expect((await run(['origin', 'create', '--type', 'FTP', '--name', 'X'])).code).toBe(2);
    expect((await run(['origin', 'create', '--type', 'AZURE_BLOB', '--name', 'X', '--account-name', 'a', '--container', 'c', '--secrets-stdin'], { stdin: '{"token":"x"}' })).code).toBe(2);
    expect(mutations()).toBe(before);
    // Checked by the API: a name already taken.
    expect((await run(['origin', 'create', '--type', 'WEB_PROXY', '--name', 'Proxy'])).code).toBe(1);
  });

  it('updates an origin whole, asking for its secrets again, and deletes with confirmation', async () => {
    const needsSecrets = await run(['origin', 'update', 'US S3', '--prefix', 'originals']);
    expect(needsSecrets).toMatchObject({ code: 2, stderr: expect.stringMatching(/replacing an origin needs them again/) });
    const updated = await json(['origin', 'update', 'US S3', '--prefix', 'originals', '--access-key-env', 'AWS_KEY', '--secret-key-env', 'AWS_SECRET']);
    expect(updated).toMatchObject({ name: 'US S3', bucket: 'products', prefix: 'originals' });
    expect((ik.emulator.requests.at(-1)!.body as Record<string, unknown>)).toMatchObject({ type: 'S3', name: 'US S3', bucket: 'products', prefix: 'originals' });
    expect(await json(['origin', 'update', 'Old site', '--name', 'Older site'])).toMatchObject({ name: 'Older site', baseUrl: 'https://www.example.com/img', forwardHostHeaderToOrigin: true });
    expect(await json(['origin', 'update', 'Proxy', '--type', 'WEB_FOLDER', '--url', 'https://x.example.com'])).toMatchObject({ type: 'WEB_FOLDER', name: 'Proxy' });

    const before = mutations();
    expect(JSON.parse((await run(['origin', 'rm', 'Older site', '--dry-run', '--json'])).stdout)).toMatchObject({ name: 'Older site', deleted: false, dryRun: true });
    expect((await run(['origin', 'rm', 'Older site'])).code).toBe(2);
    const declined = await run(['origin', 'rm', 'Older site'], { tty: { stdin: true, stderr: true }, answers: ['n'] });
    expect(declined.code).toBe(2);
    expect(declined.prompts[0]!.question).toMatch(/Delete the origin "Older site"/);
    expect(mutations()).toBe(before);
    expect((await run(['origin', 'rm', 'Older site'], { tty: { stdin: true, stderr: true }, answers: ['y'] })).code).toBe(0);
    expect((await run(['origin', 'get', 'Older site'])).code).toBe(4);
    expect((await run(['origin', 'rm', 'no such origin', '--yes'])).code).toBe(4);
  });

  it('never prints a secret, in any output of any run', () => {
    const everything = outputs.map((o) => o.stdout + o.stderr).join('\n');
    expect(outputs.length).toBeGreaterThan(20);
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
  });
});
