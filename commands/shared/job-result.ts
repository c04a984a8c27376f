/** The result of a bulk job (folder copy, move, rename), shared by `folder` and `job`: waited for unless --no-wait. */
import type { ImageKitClient } from '../../src/client.js';
import type { Context } from '../cli/context.js';
import { ExitCode, exitCodeFor } from '../cli/errors.js';
import type { Result } from '../cli/output.js';
import { DEFAULT_WAIT_TIMEOUT_MS, waitUntil } from '../cli/wait.js';

type JobStatus = Awaited<ReturnType<ImageKitClient['getBulkJobStatus']>>;

/**
 * Waits for a job unless --no-wait, and shows where it stands (`known`: its status, when fetched
 * already). A wait that fails, runs out or is interrupted still prints the job id, to resume with.
 */
export async function jobResult(jobId: string, flags: { wait: boolean; waitTimeout?: number }, context: Context, known?: JobStatus): Promise<Result> {
  let status: JobStatus | undefined = known;
  let failure: unknown;
  if (flags.wait) {
    const client = await context.client();
    try {
      status = await waitUntil(
        context,
        { what: `job ${jobId}`, timeoutMs: flags.waitTimeout ?? DEFAULT_WAIT_TIMEOUT_MS, resumeHint: `imagekit job status ${jobId} --wait` },
        async () => {
          const current = await client.getBulkJobStatus(jobId);
          status = current;
          return { done: current.status !== 'Pending', value: current, status: current.status };
        },
      );
    } catch (error) {
      failure = error;
      context.error((error as Error).message);
    }
  }
  const record: Record<string, string> = { jobId };
  if (status?.type) record.type = status.type;
  // Without waiting, the status is not known: the job was only accepted.
  record.status = status?.status ?? 'submitted';
  if (status?.purgeRequestId) record.purgeRequestId = status.purgeRequestId;
  return { kind: 'record', record, json: record, exitCode: () => (failure === undefined ? ExitCode.ok : exitCodeFor(failure)) };
}
