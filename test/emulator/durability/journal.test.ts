// The journal alone: what was durable is found again by a new journal on the same folder (as after a
// crash, without close), through compactions into the snapshot, and records keep their latest state.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../../emulator/store/journal.js';
import { temporaryFolder } from './temporary-folder.js';

interface Item {
  id: string;
  text: string;
}

function openJournal(dataDir: string) {
  const journal = new Journal();
  const items = journal.collection<Item>('items', (item) => item.id);
  journal.open(dataDir);
  return { journal, items };
}

it('finds every durable change again, across compactions, without being closed', async () => {
  const dataDir = temporaryFolder('imagekit-journal-');
  const { journal, items } = openJournal(dataDir);
  // 10 KB records, 800 changes: about 8 MB of journal, so it is compacted on the way.
  for (let i = 0; i < 800; i++) {
    items.add({ id: `item${i % 40}`, text: `${i}:`.padEnd(10_000, 'x') });
    if (i % 7 === 0) items.delete(`item${(i + 3) % 40}`);
    if (i % 10 === 9) await journal.durable();
  }
  await journal.durable();
  expect(JSON.parse(readFileSync(join(dataDir, 'index.json'), 'utf8')).generation).toBeGreaterThan(0);
  expect(statSync(join(dataDir, 'journal.jsonl')).size).toBeLessThan(5 * 1024 * 1024);

  const reopened = openJournal(dataDir);
  expect(new Map(reopened.items)).toEqual(new Map(items));
  await reopened.journal.close();
});

it('saves a record changed in place once it is noted as changed', async () => {
  const dataDir = temporaryFolder('imagekit-journal-');
  const { journal, items } = openJournal(dataDir);
  const item = items.add({ id: 'a', text: 'first' });
  await journal.durable();
  item.text = 'second';
  items.changed(item);
  await journal.durable();
  expect(openJournal(dataDir).items.get('a')).toEqual({ id: 'a', text: 'second' });
});
