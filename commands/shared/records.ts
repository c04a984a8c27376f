/** Key/value views of API objects that more than one command shows. */
import type { Metadata } from '../../src/client.js';
import type { Result } from '../cli/output.js';

/** Image metadata (of a library file or of a URL): the main values, the API's whole object with --json. */
export function metadataRecord(metadata: Metadata): Result {
  return {
    kind: 'record',
    record: {
      width: metadata.width,
      height: metadata.height,
      format: metadata.format,
      size: metadata.size,
      pHash: metadata.pHash,
      hasTransparency: metadata.hasTransparency,
      hasColorProfile: metadata.hasColorProfile,
      density: metadata.density,
      exif: JSON.stringify(metadata.exif ?? {}),
    },
    json: metadata,
  };
}
