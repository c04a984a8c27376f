/**
 * The upload API (`/api/v1/files/upload`, and v2 alike): a multipart form whose file is written to
 * disk, authenticated by the private key or by a client-side signature, and stored as a new file or
 * a new version of one. Credentials are checked before a byte of the file is written, and the file
 * and fields are held to the plan's limits. Fast for many small files: sharp reads only what looks
 * like an image, and concurrent uploads share the journal's flushes.
 */
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { normaliseFolder } from '../../src/paths.js';
import { authenticate, signature } from '../server/auth.js';
import { readMultipart, writeFileStream } from '../server/body.js';
import { ApiFailure } from '../server/errors.js';
import { recordedFields } from '../server/recording.js';
import type { RouteRequest } from '../server/router.js';
import { withDefaults } from '../store/custom-metadata.js';
import { fileDetails } from '../store/details.js';
import { readImageFacts } from '../store/image.js';
import { filePathOf, newFileState, newId, type FileRecord } from '../store/media-store.js';
import { dateNow, route, type EmulatorContext, type EmulatorRoute } from './context.js';
import { checkedExtensions } from './extension-checks.js';
import { metadataOf } from './metadata.js';
import { checkedCustomMetadata, checkedFileName, formFlag, parseJsonField } from './request-checks.js';
import { passUploadChecks } from './upload-checks.js';
import { uploadLimits } from './upload-limits.js';

const MIME: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', svg: 'image/svg+xml',
  tiff: 'image/tiff', tif: 'image/tiff', heif: 'image/heif', mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime', mp3: 'audio/mpeg',
  pdf: 'application/pdf', json: 'application/json', txt: 'text/plain', css: 'text/css', js: 'text/javascript', html: 'text/html',
  woff2: 'font/woff2', woff: 'font/woff', ttf: 'font/ttf', ico: 'image/x-icon', map: 'application/json', wasm: 'application/wasm',
};

/** Fields of the answer that only come when `responseFields` asks for them. */
const UPLOAD_RESPONSE_FIELDS = ['tags', 'customCoordinates', 'isPrivateFile', 'embeddedMetadata', 'isPublished', 'customMetadata', 'metadata', 'selectedFieldsSchema'];

/**
 * Writes the file a `file` field gives as a URL, a data URI or plain base64 as the blob; its size.
 * A base64 file is within the plan's limit already (the field's size is); a URL's is counted
 * as it downloads.
 */
async function writeFileField(source: string, blob: string, context: EmulatorContext): Promise<number> {
  const { store } = context;
  if (!/^https?:\/\//i.test(source)) {
    const base64 = source.replace(/^data:[^;,]*;base64,/, '');
    if (!/^[A-Za-z0-9+/=\s]+$/.test(base64)) throw new ApiFailure(400, 'Your request contains invalid file parameter.');
    const bytes = Buffer.from(base64, 'base64');
    store.writeBlob(blob, bytes);
    return bytes.length;
  }
  // The whole fetch, body included, is bounded: a server that trickles its bytes is cut off too.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 8000);
  const couldNotFetch = () => new ApiFailure(400, 'Your request contains invalid file parameter. The file URL could not be fetched within 8 seconds.');
  try {
    let response: Response;
    try {
      response = await fetch(source, { signal: controller.signal });
    } catch {
      throw couldNotFetch();
    }
    if (!response.ok || !response.body) throw new ApiFailure(400, `Your request contains invalid file parameter. The URL answered ${response.status}.`);
    const { size } = await writeFileStream(Readable.from(response.body), store.blobPath(blob), uploadLimits(context.plan).fileBytes).catch((error: unknown) => {
      throw controller.signal.aborted ? couldNotFetch() : error;
    });
    return size;
  } finally {
    clearTimeout(timer);
  }
}

/** The client-side signature fields: an expiry within the hour, the HMAC of token and expiry, and a token never used before (it is used up here). */
function checkClientSignature(fields: Record<string, string>, { store, now, privateKey }: EmulatorContext): void {
  const expire = Number(fields.expire);
  const nowSeconds = Math.floor(now() / 1000);
  if (!Number.isInteger(expire) || expire <= nowSeconds || expire > nowSeconds + 3600) {
    throw new ApiFailure(400, 'Your request contains invalid expire parameter. Expire parameter should be a Unix time in less than 1 hour into the future.');
  }
  // The API's answer for a missing token (the upload v2 reference; see imagekit-api.md).
  if (!fields.token) throw new ApiFailure(400, 'Your request is missing token parameter.');
  if (fields.signature !== signature(privateKey, `${fields.token}${fields.expire}`)) throw new ApiFailure(400, 'Your request contains invalid signature.');
  if (store.usedTokens.has(fields.token)) throw new ApiFailure(400, 'The token has already been used. Please generate a new token.');
  store.usedTokens.add(fields.token);
}

/**
 * The upload's credentials: the private key (Basic, checked before the body was read) or the
 * client-side fields, never both. Signature fields sent before the file are checked when the file
 * arrives, so that no byte is written for a wrong signature. The browser SDK sends its fields in the
 * order of the options it is given (often the file first) and the public key last, and ImageKit takes
 * them in any order: a form that has given no credentials by its file is written, within the plan's
 * size limit, checked once it is read, and its bytes removed at once when refused.
 */
function credentialCheck(basicAuth: boolean, context: EmulatorContext): (fields: Record<string, string>, formRead: boolean) => void {
  let signatureChecked = false;
  return (fields, formRead) => {
    const clientSide = fields.signature !== undefined || fields.token !== undefined;
    if (clientSide && basicAuth) {
      throw new ApiFailure(400, 'Your request contains both signature and basic auth parameter. Use only one method, you might be exposing your private API key.');
    }
    if (basicAuth) return;
    if (!clientSide && !formRead) return;
    // Neither, in the whole form: the API's 401 for a request without a key.
    if (!clientSide) authenticate(undefined, context.privateKey);
    if ((formRead || fields.publicKey !== undefined) && fields.publicKey !== context.publicKey) throw new ApiFailure(403, 'Your account cannot be authenticated.');
    if (!signatureChecked) checkClientSignature(fields, context);
    signatureChecked = true;
  };
}

async function upload(request: RouteRequest, context: EmulatorContext) {
  const { req } = request;
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) throw new ApiFailure(400, 'Your request is missing file parameter.');
  // A server-side upload is authenticated before its body is read, so a wrong key costs no disk.
  if (req.headers.authorization !== undefined) authenticate(req.headers.authorization, context.privateKey);
  const blob = newId();
  let stored = false;
  try {
    const answer = await receiveUpload(request, context, blob);
    stored = true;
    return answer;
  } finally {
    // A refused or abandoned upload keeps no bytes.
    if (!stored) context.store.discardBlob(blob);
  }
}

/** Reads the multipart body (the file written to disk as `blob`), checks it, and stores the file. */
async function receiveUpload({ req, record }: RouteRequest, context: EmulatorContext, blob: string) {
  const { store, urlEndpoint } = context;
  const blobPath = store.blobPath(blob);
  const checkCredentials = credentialCheck(req.headers.authorization !== undefined, context);
  const { fields, file: filePart } = await readMultipart(req, {
    filePath: blobPath,
    limits: uploadLimits(context.plan),
    beforeFile: (fieldsBefore) => checkCredentials(fieldsBefore, false),
  });
  record.fields = recordedFields(fields, filePart?.size);
  checkCredentials(fields, true);

  let fileSize = filePart?.size ?? -1;
  if (!filePart) {
    const source = fields.file;
    if (source === undefined || source === '') throw new ApiFailure(400, 'Your request is missing file parameter.');
    fileSize = await writeFileField(source, blob, context);
  }
  if (!fields.fileName) throw new ApiFailure(400, 'Missing fileName parameter for upload');

  const folderField = fields.folder ?? '/';
  if (folderField.split('/').some((segment) => segment === '..') || !/^[\p{L}\p{M}\p{N}/_ .-]*$/u.test(folderField)) {
    throw new ApiFailure(400, 'Your request contains invalid folder parameter.');
  }
  const folder = normaliseFolder(folderField);
  let name = checkedFileName(fields.fileName, 'fileName');
  const useUniqueFileName = formFlag(fields.useUniqueFileName, true);
  if (useUniqueFileName) {
    const ext = extname(name);
    name = `${name.slice(0, name.length - ext.length)}_${randomBytes(7).toString('base64url').slice(0, 9)}${ext}`;
  }
  const tags = fields.tags ? fields.tags.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
  if (tags && tags.join(',').length > 500) throw new ApiFailure(400, 'Combined length of all tags should be less than or equal to 500.');
  const customMetadataInput = parseJsonField(fields.customMetadata, 'customMetadata');
  const extensions = checkedExtensions(store, parseJsonField(fields.extensions, 'extensions'));
  const transformation = parseJsonField(fields.transformation, 'transformation') as { pre?: unknown; post?: unknown } | undefined;
  if (transformation !== undefined && (typeof transformation !== 'object' || (transformation.pre === undefined && transformation.post === undefined))) {
    throw new ApiFailure(400, 'Invalid transformation parameter. Please include at least pre, post, or both.');
  }
  if (fields.customCoordinates && !/^\d+,\d+,\d+,\d+$/.test(fields.customCoordinates)) {
    throw new ApiFailure(400, 'Your request contains invalid customCoordinates parameter.');
  }

  // The streamed part's first bytes tell whether it is an image, without opening the file again. A
  // file sent as a URL or base64 has no such bytes, so it is stored as a non-image (as it always
  // was; a known gap, to be closed in a change of its own).
  const facts = await readImageFacts(blobPath, filePart?.head ?? Buffer.alloc(0));
  const format = facts?.format ?? extname(name).slice(1).toLowerCase();
  const state = newFileState(
    {
      name,
      folder,
      blob,
      size: fileSize,
      mime: MIME[format] ?? MIME[extname(name).slice(1).toLowerCase()] ?? 'application/octet-stream',
      fileType: facts ? 'image' : 'non-image',
      format,
      width: facts?.width ?? null,
      height: facts?.height ?? null,
      hasAlpha: facts?.hasAlpha ?? false,
      tags: tags ?? null,
      customCoordinates: fields.customCoordinates || null,
      isPrivateFile: formFlag(fields.isPrivateFile, false),
      isPublished: formFlag(fields.isPublished, true),
      description: fields.description ?? null,
    },
    dateNow(context),
  );
  passUploadChecks(fields, state, context.now());

  const existing = useUniqueFileName ? undefined : store.findByPath(filePathOf(state));
  let file: FileRecord;
  if (existing) {
    if (!formFlag(fields.overwriteFile, true)) {
      throw new ApiFailure(400, 'A file with the same name already exists at the exact location. We could not overwrite it because both overwriteFile and useUniqueFileName are set to false.');
    }
    if (existing.versions.length + 1 >= 100) throw new ApiFailure(400, 'A file can have at most 100 versions.');
    const previous = existing.current;
    if (!formFlag(fields.overwriteTags, true) && !tags) state.tags = previous.tags;
    if (!formFlag(fields.overwriteAITags, true)) state.AITags = previous.AITags;
    const keepMetadata = !formFlag(fields.overwriteCustomMetadata, true);
    state.customMetadata = checkedCustomMetadata(store, customMetadataInput, keepMetadata ? previous.customMetadata : {});
    store.addVersion(existing, state);
    file = existing;
  } else {
    state.customMetadata = withDefaults(store, checkedCustomMetadata(store, customMetadataInput));
    file = store.addFile(state);
  }
  store.ensureFolder(folder, dateNow(context));

  const details = fileDetails(file, file.current, urlEndpoint);
  const requested = new Set((fields.responseFields ?? '').split(',').map((f) => f.trim()));
  const body: Record<string, unknown> = {
    fileId: file.fileId,
    name: details.name,
    size: details.size,
    versionInfo: details.versionInfo,
    filePath: details.filePath,
    url: details.url,
    fileType: details.fileType,
    height: details.height,
    width: details.width,
    thumbnailUrl: details.thumbnail,
    AITags: details.AITags,
  };
  for (const field of UPLOAD_RESPONSE_FIELDS) {
    if (!requested.has(field)) continue;
    if (field === 'metadata') body.metadata = await metadataOf(store, file.current);
    else if (field === 'selectedFieldsSchema') body.selectedFieldsSchema = {};
    else body[field] = (details as Record<string, unknown>)[field];
  }
  if (Array.isArray(extensions) && extensions.length > 0) {
    body.extensionStatus = Object.fromEntries(extensions.map((e) => [e.name ?? 'unknown', 'pending']));
  }
  return { status: 200, body };
}

export const uploadRoutes: EmulatorRoute[] = [
  route('POST', '/api/v1/files/upload', upload),
  route('POST', '/api/v2/files/upload', upload),
];
