/**
 * Reading request bodies within limits: the API's JSON bodies, and the upload API's multipart form
 * with its file part streamed straight to disk, so that a large upload never sits in memory.
 */
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ApiFailure } from './errors.js';

const MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;
/** Bytes kept of the file part's beginning: enough to tell an image format without reading the file again. */
const HEAD_BYTES = 256;

/** A JSON body as an object (`{}` when empty); 413 past the size limit, 400 when not JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BODY_BYTES) throw new ApiFailure(413, 'Your request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiFailure(400, 'Your request body is not valid JSON.');
  }
}

export interface MultipartForm {
  /** Text fields; `file` is `<file: name>` when the file came as a file part. */
  fields: Record<string, string>;
  /** The file part, written to the given path: its size and first bytes. Undefined when there was none. */
  file?: { size: number; head: Buffer };
}

/** Reads a multipart form, streaming its `file` part to `filePath`; 400 for a malformed or oversized form. */
export async function readMultipart(req: IncomingMessage, filePath: string): Promise<MultipartForm> {
  const { default: Busboy } = await import('busboy');
  const fields: Record<string, string> = {};
  let file: MultipartForm['file'];
  await new Promise<void>((resolve, reject) => {
    let busboy: ReturnType<typeof Busboy>;
    try {
      busboy = Busboy({ headers: req.headers, limits: { fieldSize: 64 * 1024 * 1024, fields: 100, files: 1, parts: 200 } });
    } catch (error) {
      reject(new ApiFailure(400, `Your request is not valid multipart/form-data: ${(error as Error).message}.`));
      return;
    }
    const writes: Promise<void>[] = [];
    busboy.on('field', (name, value, info) => {
      if (info.valueTruncated) reject(new ApiFailure(400, `Your request contains invalid ${name} parameter. The field size exceeds limits.`));
      fields[name] = value;
    });
    busboy.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      const part = { size: 0, head: Buffer.alloc(0) };
      file = part;
      stream.on('data', (chunk: Buffer) => {
        part.size += chunk.length;
        if (part.head.length < HEAD_BYTES) part.head = Buffer.concat([part.head, chunk.subarray(0, HEAD_BYTES - part.head.length)]);
      });
      fields.file = `<file: ${info.filename ?? ''}>`;
      writes.push(pipeline(stream, createWriteStream(filePath)));
    });
    busboy.on('error', (error: Error) => reject(new ApiFailure(400, `Your request is not valid multipart/form-data: ${error.message}.`)));
    busboy.on('close', () => Promise.all(writes).then(() => resolve(), reject));
    req.pipe(busboy);
  });
  return { fields, file };
}
