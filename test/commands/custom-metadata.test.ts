// `imagekit custom-metadata` against the emulator over real HTTP on 127.0.0.1.
import { useEmulator } from '../helpers/emulator.js';
import { runCli, type RunOptions } from '../helpers/cli.js';

const ik = useEmulator();

const run = (argv: string[], options: RunOptions = {}) => runCli(argv, { env: ik.env, ...options });

describe('imagekit custom-metadata', () => {
  it('types update values by the field\'s own type, and dry-runs a delete', async () => {
    const date = JSON.parse((await run(['custom-metadata', 'create', '--name', 'launch', '--label', 'Launch', '--type', 'Date', '--json'])).stdout);
    const updated = await run(['custom-metadata', 'update', date.id, '--max', '2030-01-01T00:00:00.000Z', '--json']);
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout).schema.maxValue).toBe('2030-01-01T00:00:00.000Z');
    const count = JSON.parse((await run(['custom-metadata', 'create', '--name', 'count', '--label', 'Count', '--type', 'Number', '--json'])).stdout);
    await run(['custom-metadata', 'update', count.id, '--default', '5']);
    expect((ik.emulator.requests.at(-1)!.body as { schema: { defaultValue: unknown } }).schema.defaultValue).toBe(5);
    expect((await run(['custom-metadata', 'update', count.id, '--min-length', '1.5'])).code).toBe(2);
    const before = ik.mutations();
    expect(JSON.parse((await run(['custom-metadata', 'rm', count.id, '--dry-run', '--json'])).stdout)).toMatchObject({ name: 'count', deleted: false });
    expect(ik.mutations()).toBe(before);
    expect((await run(['custom-metadata', 'rm', '000000000000000000000000', '--dry-run'])).code).toBe(4);
  });

  it('creates, lists, updates and deletes fields', async () => {
    const created = await run(['custom-metadata', 'create', '--name', 'size', '--label', 'Size', '--type', 'SingleSelect', '--options', 'S,M,L', '--required', '--default', 'M', '--json']);
    expect(created.code).toBe(0);
    const field = JSON.parse(created.stdout);
    expect(field).toMatchObject({ name: 'size', label: 'Size', schema: { type: 'SingleSelect', selectOptions: ['S', 'M', 'L'], isValueRequired: true, defaultValue: 'M' } });
    const number = await run(['custom-metadata', 'create', '--name', 'weight', '--label', 'Weight', '--schema', '{"type":"Number","minValue":0}', '--max', '100', '--json']);
    expect(JSON.parse(number.stdout).schema).toEqual({ type: 'Number', minValue: 0, maxValue: 100 });
    expect((await run(['custom-metadata', 'ls', '--fields'])).code).toBe(2);
    const listed = await run(['custom-metadata', 'ls']);
    expect(listed.stdout).toMatch(new RegExp(`^${field.id}\\tsize\\tSize\\tSingleSelect$`, 'm'));
    const updated = await run(['custom-metadata', 'update', field.id, '--label', 'T-shirt size', '--options', 'S,M,L,XL', '--json']);
    expect(JSON.parse(updated.stdout)).toMatchObject({ label: 'T-shirt size', schema: { selectOptions: ['S', 'M', 'L', 'XL'] } });
    expect((await run(['custom-metadata', 'update', field.id, '--type', 'Text'])).code).toBe(2);
    expect((await run(['custom-metadata', 'rm', field.id])).code).toBe(2);
    expect((await run(['custom-metadata', 'rm', field.id, '--yes'])).code).toBe(0);
    expect((await run(['custom-metadata', 'ls', '--include-deleted', '--json'])).stdout).toContain('"size"');
    expect((await run(['custom-metadata', 'rm', field.id, '--yes'])).code).toBe(4);
    expect((await run(['custom-metadata', 'create', '--name', 'x', '--label', 'X'])).code).toBe(2);
    expect((await run(['custom-metadata', 'create', '--name', 'weight', '--label', 'W2', '--type', 'Number'])).code).toBe(1); // name taken: 400
  });
});

describe('custom metadata fields by name, and values checked before sending', () => {
  it('names fields by id or name, marks deleted ones, and refuses a required field without a default', async () => {
    const before = ik.mutations();
    const required = await run(['custom-metadata', 'create', '--name', 'req', '--label', 'Req', '--type', 'Text', '--required']);
    expect(required.code).toBe(2);
    expect(required.stderr).toMatch(/needs a --default/);
    expect(ik.mutations()).toBe(before);

    const made = JSON.parse((await run(['custom-metadata', 'create', '--name', 'stock', '--label', 'Stock', '--type', 'Number', '--min', '0', '--max', '10', '--json'])).stdout);
    expect(JSON.parse((await run(['custom-metadata', 'update', 'stock', '--label', 'In stock', '--json'])).stdout)).toMatchObject({ id: made.id, label: 'In stock' });
    expect((await run(['custom-metadata', 'rm', 'stock', '--yes'])).code).toBe(0);
    const listed = await run(['custom-metadata', 'ls', '--include-deleted']);
    expect(listed.stdout).toMatch(new RegExp(`^${made.id}\\tstock\\tIn stock\\tNumber\\tdeleted$`, 'm'));
    expect(JSON.parse((await run(['custom-metadata', 'ls', '--include-deleted', '--json'])).stdout)).toContainEqual(expect.objectContaining({ id: made.id, deleted: true }));
    expect((await run(['custom-metadata', 'rm', 'no-such-field', '--yes'])).code).toBe(4);
  });

  it('checks --meta values against the field\'s schema, naming field and rule', async () => {
    await run(['custom-metadata', 'create', '--name', 'qty', '--label', 'Qty', '--type', 'Number', '--max', '5']);
    await run(['custom-metadata', 'create', '--name', 'tone', '--label', 'Tone', '--type', 'SingleSelect', '--options', 'warm,cold']);
    const file = await run(['upload', '-', '--name', 'meta.txt', '--folder', '/meta', '--json'], { stdin: 'x' });
    const { fileId } = JSON.parse(file.stdout)[0];
    const before = ik.mutations();
    const tooMany = await run(['files', 'update', fileId, '--meta', 'qty=9']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/--meta qty: 9 breaks the rule of the field "qty": at most 5/);
    const notAnOption = await run(['files', 'update', fileId, '--meta', 'tone=hot']);
    expect(notAnOption.stderr).toMatch(/"tone": one of warm, cold/);
    expect(ik.mutations()).toBe(before);
    expect((await run(['files', 'update', fileId, '--meta', 'qty=4', '--meta', 'tone=warm'])).code).toBe(0);
  });
});

describe('custom metadata field descriptions', () => {
  it('are set on create, changed alone on update, and removed with ""', async () => {
    const made = JSON.parse((await run(['custom-metadata', 'create', '--name', 'maker', '--label', 'Maker', '--type', 'Text', '--description', 'who makes it', '--json'])).stdout);
    expect(made).toMatchObject({ name: 'maker', description: 'who makes it' });
    expect((await run(['custom-metadata', 'update', 'maker', '--description', 'the brand'])).stdout).toMatch(/^description\tthe brand$/m);
    expect(JSON.parse((await run(['custom-metadata', 'update', 'maker', '--description', '', '--json'])).stdout)).not.toHaveProperty('description');
    expect((await run(['custom-metadata', 'create', '--name', 'bad', '--label', 'Bad', '--type', 'Number', '--min', '5', '--max', '1'])).stderr).toMatch(/minValue must not be greater than maxValue/);
  });
});
