/**
 * Changes to many files at once, by id: delete, add or remove tags, remove AI tags. Each answers
 * 200 when all ids exist, 207 listing the unknown ones, or 404 when none exists.
 */
import type { JsonAnswer } from '../server/answer.js';
import { ApiFailure } from '../server/errors.js';
import type { FileRecord, MediaStore } from '../store/media-store.js';
import { dateNow, route, type EmulatorContext, type EmulatorRoute } from './context.js';
import { fileIdsOf, tagList } from './request-checks.js';

/** Applies `change` to each known file; `withMissing` lists the unknown ids in the 404 too. */
function changeEach(store: MediaStore, ids: string[], successKey: string, change: (file: FileRecord) => void, withMissing = true): JsonAnswer {
  const done: string[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const file = store.files.get(id);
    if (!file) missing.push(id);
    else {
      change(file);
      done.push(id);
    }
  }
  if (done.length === 0) throw new ApiFailure(404, 'The requested file(s) does not exist.', withMissing ? { missingFileIds: missing } : {});
  if (missing.length > 0) return { status: 207, body: { [successKey]: done, errors: missing.map((fileId) => ({ fileId, error: 'The requested file does not exist.' })) } };
  return { status: 200, body: { [successKey]: done } };
}

function changeTags(body: Record<string, unknown>, context: EmulatorContext, add: boolean): JsonAnswer {
  const ids = fileIdsOf(body, 50, 'A maximum of 50 files can be edited at a time.');
  const tags = tagList(body.tags, 'tags');
  if (add && tags.join(',').length > 500) throw new ApiFailure(400, 'Combined length of all tags should be less than or equal to 500.');
  return changeEach(context.store, ids, 'successfullyUpdatedFileIds', (file) => {
    const current = file.current.tags ?? [];
    const next = add ? [...current, ...tags.filter((t) => !current.includes(t))] : current.filter((t) => !tags.includes(t));
    file.current.tags = next.length ? next : null;
    file.current.updatedAt = dateNow(context).toISOString();
    context.store.files.changed(file);
  });
}

export const bulkRoutes: EmulatorRoute[] = [
  route('POST', '/v1/files/batch/deleteByFileIds', ({ body }, { store }) => {
    const ids = fileIdsOf(body, 100, 'fileIds cannot have more than 100 items.');
    return changeEach(store, ids, 'successfullyDeletedFileIds', (file) => store.deleteFile(file));
  }),

  route('POST', '/v1/files/addTags', ({ body }, context) => changeTags(body, context, true)),
  route('POST', '/v1/files/removeTags', ({ body }, context) => changeTags(body, context, false)),

  route('POST', '/v1/files/removeAITags', ({ body }, { store }) => {
    const ids = fileIdsOf(body, 50, 'A maximum of 50 files can be edited at a time.');
    const tags = tagList(body.AITags, 'AITags');
    const removeTags = (file: FileRecord) => {
      const left = (file.current.AITags ?? []).filter((t) => !tags.includes(t.name));
      file.current.AITags = left.length ? left : null;
      store.files.changed(file);
    };
    return changeEach(store, ids, 'successfullyUpdatedFileIds', removeTags, false);
  }),
];
