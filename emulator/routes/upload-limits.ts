/**
 * The upload API's limits: the largest file of each plan, as ImageKit documents them (videos may be
 * larger than images, audio and other files, and ImageKit tells them apart by their first bytes),
 * and bounds of the emulator's own on the other fields, which ImageKit does not document, so that a
 * form cannot fill memory before it is authenticated.
 */
import type { MultipartLimits } from '../server/body.js';

const MB = 1024 * 1024;

/** ImageKit's upload size limits per plan (the upload API's reference, "File size limit"). */
export const UPLOAD_PLANS = {
  free: { file: 25 * MB, video: 100 * MB },
  lite: { file: 40 * MB, video: 300 * MB },
  pro: { file: 50 * MB, video: 2048 * MB },
} as const;

export type UploadPlan = keyof typeof UPLOAD_PLANS;

/** Far more than any field ImageKit takes needs: tags are at most 500 characters; metadata and extensions are small JSON. */
const FIELD_BYTES = 256 * 1024;
/** ImageKit's upload API has about 25 fields. */
const MAX_FIELDS = 50;
/** A data URI's prefix, before its base64 (`data:image/png;base64,`), with room to spare. */
const DATA_URI_PREFIX_BYTES = 256;

export function uploadLimits(plan: UploadPlan): MultipartLimits {
  const { file, video } = UPLOAD_PLANS[plan];
  return {
    fields: MAX_FIELDS,
    fieldBytes: FIELD_BYTES,
    // A file sent as base64 takes 4 characters for every 3 bytes.
    fileFieldBytes: Math.ceil(file / 3) * 4 + DATA_URI_PREFIX_BYTES,
    fileBytes: (head) => (isVideo(head) ? video : file),
  };
}

/** ISO media brands that are images or audio, not video: AVIF, HEIF and M4A files start like MP4s. */
const NOT_VIDEO_BRANDS = /^(avif|avis|heic|heix|hevc|hevx|mif1|msf1|M4A |M4B |M4P )/;

/** Whether a file's first bytes are those of a video: MP4 and QuickTime, WebM and Matroska, AVI, MPEG-TS, FLV. */
function isVideo(head: Buffer): boolean {
  const text = head.toString('latin1');
  if (text.slice(4, 8) === 'ftyp') return !NOT_VIDEO_BRANDS.test(text.slice(8, 12));
  return (
    text.startsWith('\x1a\x45\xdf\xa3') ||
    (text.startsWith('RIFF') && text.slice(8, 12) === 'AVI ') ||
    (head[0] === 0x47 && head[188] === 0x47) ||
    text.startsWith('FLV\x01')
  );
}
