/**
 * Purging the CDN cache of many URLs, shared by `purge` and `sync --purge`: the requests sent
 * concurrently through the shared client (a rate limit slows them, it does not fail them), each
 * URL's outcome kept, and the wait until every request is Completed.
 */
import type { ImageKitClient } from '../../src/client.js';
import type { Context } from '../cli/context.js';
import { batchExitCode, exitCodeFor } from '../cli/errors.js';
import { DEFAULT_WAIT_TIMEOUT_MS, waitUntil } from '../cli/wait.js';

export interface PurgeOutcome {
  url: string;
  requestId: string | null;
  status: string;
  error?: string;
  /** The exit code of a failed one's error. */
  failureCode?: number;
}

export const failedOutcome = (url: string, requestId: string | null, error: unknown): PurgeOutcome => ({
  url,
  requestId,
  status: 'failed',
  error: (error as Error).message,
  failureCode: exitCodeFor(error),
});

export const purgeExitCode = (outcomes: PurgeOutcome[]) =>
  batchExitCode(
    outcomes.length,
    outcomes.filter((o) => o.status === 'failed').map((o) => o.failureCode!),
  );

/** Sends one purge request per URL; a failed one is named on stderr and kept as failed. */
export async function requestPurges(client: ImageKitClient, urls: readonly string[], context: Context): Promise<PurgeOutcome[]> {
  const outcomes = await Promise.all(
    urls.map(async (url): Promise<PurgeOutcome> => {
      try {
        return { url, requestId: (await client.purgeCache(url)).requestId, status: 'Pending' };
      } catch (error) {
        return failedOutcome(url, null, error);
      }
    }),
  );
  for (const o of outcomes) if (o.error) context.error(`${o.url}: ${o.error}`);
  return outcomes;
}

/**
 * Polls the purges that have a request id until none is Pending, updating their status. A wait that
 * runs out or is interrupted is told on stderr with the command that resumes it, and returned: the
 * purges are shown with their ids all the same.
 */
export async function waitForPurges(outcomes: PurgeOutcome[], timeoutMs: number | undefined, context: Context): Promise<unknown> {
  const client = await context.client();
  const pending = outcomes.filter((o) => o.requestId);
  try {
    await waitUntil(
      context,
      {
        what: `${pending.length} purge request(s)`,
        timeoutMs: timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
        resumeHint: `imagekit purge status ${pending.map((o) => o.requestId).join(' ')} --wait`,
      },
      async () => {
        await Promise.all(
          pending.filter((o) => o.status === 'Pending').map(async (o) => {
            o.status = (await client.getPurgeStatus(o.requestId!)).status;
          }),
        );
        const left = pending.filter((o) => o.status === 'Pending').length;
        return { done: left === 0, value: undefined, status: `${pending.length - left}/${pending.length} completed` };
      },
    );
    return undefined;
  } catch (error) {
    context.error((error as Error).message);
    return error;
  }
}
