/**
 * Reading request bodies within limits: the API's JSON bodies, and the upload API's multipart form,
 * whose file is written straight to disk (never held in memory) and flushed there before the form
 * counts as read. The file is refused before a byte of it is written when its caller says so (no
 * credentials), and dropped (its file closed; the caller removes it) when the client goes away.
 */
import { once } from 'node:events';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiFailure } from './errors.js';

const MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;
/** Bytes kept of the file's beginning: enough to tell its format without reading the file again. */
const HEAD_BYTES = 256;

/** A JSON body as an object (`{}` when empty); 413 past the size limit, 400 when not a JSON object. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BODY_BYTES) throw new ApiFailure(413, 'Your request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiFailure(400, 'Your request body is not valid JSON.');
  }
  // Every route reads named parameters: null, a number, a string or an array has none.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiFailure(400, 'Your request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** ImageKit's answer to a file past the plan's limit. */
const fileTooLarge = () => new ApiFailure(400, 'Your request contains invalid file parameter. The file size exceeds limits.');

/** A file's size and first bytes, as written. */
export interface WrittenFile {
  size: number;
  head: Buffer;
}

/**
 * A new file (created exclusively), flushed to disk (fsync) before the stream finishes, and closed
 * however the stream ends, so that no descriptor outlives its request.
 */
class DurableFileSink extends Writable {
  private file: FileHandle | undefined;

  constructor(private readonly path: string) {
    super();
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.path, 'wx').then((file) => {
      this.file = file;
      callback();
    }, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    writeAll(this.file!, chunk).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.file!.sync().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const file = this.file;
    this.file = undefined;
    if (!file) return callback(error);
    file.close().then(() => callback(error), () => callback(error));
  }
}

async function writeAll(file: FileHandle, chunk: Buffer): Promise<void> {
  for (let written = 0; written < chunk.length; ) written += (await file.write(chunk, written)).bytesWritten;
}

/**
 * Writes a stream to a new file at `path`, flushed to disk when this resolves; refused with
 * ImageKit's error once past `maxBytes(head)` (the limit may depend on the format its head tells).
 * Settles only once the file is closed, so the caller may remove it at once.
 */
export async function writeFileStream(source: Readable, path: string, maxBytes: (head: Buffer) => number): Promise<WrittenFile> {
  const written: WrittenFile = { size: 0, head: Buffer.alloc(0) };
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written.size += chunk.length;
      if (written.head.length < HEAD_BYTES) written.head = Buffer.concat([written.head, chunk.subarray(0, HEAD_BYTES - written.head.length)]);
      if (written.size > maxBytes(written.head)) callback(fileTooLarge());
      else callback(null, chunk);
    },
  });
  const sink = new DurableFileSink(path);
  try {
    await pipeline(source, meter, sink);
  } finally {
    if (!sink.closed) await once(sink, 'close');
  }
  return written;
}

/** How much of a multipart form is read: ImageKit's limits, as the upload route sets them. */
export interface MultipartLimits {
  /** Most text fields a form may have. */
  fields: number;
  /** Bytes of each text field but `file`. */
  fieldBytes: number;
  /** Bytes of the `file` field when it is text (a URL or base64). */
  fileFieldBytes: number;
  /** Bytes of the file part, given its first bytes. */
  fileBytes(head: Buffer): number;
}

export interface MultipartForm {
  /** Text fields; `file` is `<file: name>` when the file came as a file part. */
  fields: Record<string, string>;
  /** The file part, written to the given path. Undefined when there was none. */
  file?: WrittenFile;
}

/** The client went away, or the server timed the request out, before the form was read. */
class RequestAbandoned extends ApiFailure {
  constructor() {
    super(400, 'The request ended before its body was read.');
  }
}

/**
 * Reads a multipart form within `limits`, writing its `file` part to `filePath`. `beforeFile` is
 * given the fields that came before the file (a part, or the `file` field) and throws to refuse it:
 * a refused file is never written. Rejects with an ApiFailure for a malformed or oversized form, and
 * with RequestAbandoned when the request ends early; the file (if any) is closed by then.
 */
export async function readMultipart(
  req: IncomingMessage,
  { filePath, limits, beforeFile }: { filePath: string; limits: MultipartLimits; beforeFile: (fields: Record<string, string>) => void },
): Promise<MultipartForm> {
  const { default: Busboy } = await import('busboy');
  let busboy: ReturnType<typeof Busboy>;
  try {
    const fieldSize = Math.max(limits.fieldBytes, limits.fileFieldBytes);
    busboy = Busboy({ headers: req.headers, limits: { fieldSize, fields: limits.fields, files: 1, parts: limits.fields + 1 } });
  } catch (error) {
    throw new ApiFailure(400, `Your request is not valid multipart/form-data: ${(error as Error).message}.`);
  }
  const fields: Record<string, string> = {};
  let writing: Promise<WrittenFile> | undefined;
  const read = new Promise<void>((resolve, reject) => {
    const refuse = (check: () => void) => {
      try {
        check();
        return false;
      } catch (error) {
        reject(error);
        return true;
      }
    };
    busboy.on('field', (name, value, info) => {
      refuse(() => {
        const limit = name === 'file' ? limits.fileFieldBytes : limits.fieldBytes;
        if (info.valueTruncated || Buffer.byteLength(value) > limit) {
          throw name === 'file' ? fileTooLarge() : new ApiFailure(400, `Your request contains invalid ${name} parameter. The field size exceeds limits.`);
        }
        if (name === 'file') beforeFile(fields);
        fields[name] = value;
      });
    });
    busboy.on('file', (name, part, info) => {
      if (name !== 'file' || refuse(() => beforeFile(fields))) {
        // Drained unwritten; stopping the form destroys it with an error that nobody needs.
        part.on('error', () => undefined).resume();
        return;
      }
      fields.file = `<file: ${info.filename ?? ''}>`;
      writing = writeFileStream(part, filePath, limits.fileBytes);
      writing.catch(reject);
    });
    busboy.on('fieldsLimit', () => reject(new ApiFailure(400, `Your request contains more than ${limits.fields} parameters.`)));
    busboy.on('error', (error: Error) => reject(new ApiFailure(400, `Your request is not valid multipart/form-data: ${error.message}.`)));
    busboy.on('close', resolve);
    req.on('error', () => reject(new RequestAbandoned()));
    req.on('close', () => {
      if (!req.complete) reject(new RequestAbandoned());
    });
    req.pipe(busboy);
  });
  try {
    await read;
    return { fields, file: await writing };
  } catch (error) {
    // Stop reading: the file part (if one is being written) is destroyed and its file closed. What
    // is left of the body is the pipeline's to drain.
    req.unpipe(busboy);
    busboy.destroy();
    await writing?.catch(() => undefined);
    throw error;
  }
}
