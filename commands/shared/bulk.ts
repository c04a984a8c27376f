/**
 * Calls on many files at once, in chunks (bulk delete, tags), each file's outcome kept: shared by
 * `files tag/untag-ai/rm` and `sync --delete`.
 */
import { ApiError, PartialSuccessError } from '../../src/errors.js';

export interface BulkOutcome {
  file: string;
  fileId: string | null;
  status: 'done' | 'failed' | 'planned';
  error?: string;
  notFound?: boolean;
}

/**
 * Runs a bulk call over chunks of distinct ids, recording per file what happened. A partial success
 * (207) or a 404 naming the missing ids fails only those files (the others of a 404 chunk are sent
 * again); any other error (credentials, rate limits after retries) is the command's error, not a file's.
 */
export async function runBulk(outcomes: BulkOutcome[], chunkSize: number, call: (ids: string[]) => Promise<unknown>): Promise<void> {
  const ids = [...new Set(outcomes.filter((o) => o.status === 'planned').map((o) => o.fileId!))];
  const failures = new Map<string, { message: string; notFound: boolean }>();
  const send = async (chunk: string[]): Promise<void> => {
    if (chunk.length === 0) return;
    try {
      await call(chunk);
    } catch (error) {
      if (error instanceof PartialSuccessError) {
        const succeeded = new Set<string>(Object.values(error.data as Record<string, unknown>).find(Array.isArray) as string[] | undefined);
        for (const e of (error.data as { errors?: Array<{ fileId: string; error: string }> }).errors ?? []) {
          if (!succeeded.has(e.fileId)) failures.set(e.fileId, { message: e.error, notFound: /does not exist/i.test(e.error) });
        }
        return;
      }
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      const missing = (error.data as { missingFileIds?: string[] } | undefined)?.missingFileIds ?? chunk;
      for (const id of missing) failures.set(id, { message: error.message, notFound: true });
      const rest = chunk.filter((id) => !missing.includes(id));
      if (rest.length < chunk.length) await send(rest);
    }
  };
  for (let i = 0; i < ids.length; i += chunkSize) await send(ids.slice(i, i + chunkSize));
  for (const o of outcomes) {
    if (o.status !== 'planned') continue;
    const failure = failures.get(o.fileId!);
    if (failure) Object.assign(o, { status: 'failed', error: failure.message, notFound: failure.notFound });
    else o.status = 'done';
  }
}
