/**
 * URL endpoints (beta): the URL prefixes of the account, each with the origins tried in order for
 * files not in the media library, and an optional URL rewriter. Replaced whole on update (PUT). The
 * default endpoint (id `default`, prefix "") always exists and cannot be deleted.
 */
import type { UrlRewriter } from '../../src/account-api.js';
import { ApiFailure } from '../server/errors.js';
import { DEFAULT_URL_ENDPOINT_ID, type UrlEndpointRecord } from '../store/account.js';
import { booleanField, textField } from './body-fields.js';
import { collectionRoutes } from './collection.js';
import type { EmulatorContext } from './context.js';

const REWRITERS = ['CLOUDINARY', 'IMGIX', 'AKAMAI'];
const MAX_ORIGINS = 10;

function checkedRewriter(value: unknown): UrlRewriter | undefined {
  if (value === undefined || value === null) return undefined;
  const rewriter = value as Record<string, unknown>;
  if (typeof value !== 'object' || !REWRITERS.includes(rewriter.type as string)) {
    throw new ApiFailure(400, `Your request contains invalid urlRewriter parameter: its type must be one of ${REWRITERS.join(', ')}.`);
  }
  if (rewriter.type !== 'CLOUDINARY') return { type: rewriter.type } as UrlRewriter;
  return { type: 'CLOUDINARY', preserveAssetDeliveryTypes: booleanField(rewriter, 'preserveAssetDeliveryTypes') ?? false };
}

/** An endpoint from a create or replace body. */
function checkedEndpoint(id: string, body: Record<string, unknown>, { store }: EmulatorContext): UrlEndpointRecord {
  const description = textField(body, 'description', { required: true, max: 1000, expected: 'at most 1000 characters' })!;
  const urlPrefix = textField(body, 'urlPrefix', { pattern: /^[A-Za-z0-9-]*$/, max: 100, expected: 'letters, digits and hyphens, at most 100' }) ?? '';
  if ((id === DEFAULT_URL_ENDPOINT_ID) !== (urlPrefix === '')) {
    throw new ApiFailure(400, id === DEFAULT_URL_ENDPOINT_ID ? 'The urlPrefix of the default URL-endpoint cannot be changed.' : 'urlPrefix is required: only the default URL-endpoint has an empty urlPrefix.');
  }
  if (store.account.urlEndpoints.some((e) => e.urlPrefix === urlPrefix && e.id !== id)) throw new ApiFailure(400, 'A URL-endpoint with this urlPrefix already exists.');
  const origins = body.origins ?? [];
  if (!Array.isArray(origins) || origins.some((o) => typeof o !== 'string') || new Set(origins).size !== origins.length || origins.length > MAX_ORIGINS) {
    throw new ApiFailure(400, `Your request contains invalid origins parameter: it must be a list of at most ${MAX_ORIGINS} different origin ids.`);
  }
  const unknown = origins.find((originId) => !store.account.origins.some((o) => o.id === originId));
  if (unknown !== undefined) throw new ApiFailure(400, `Origin ${unknown} does not exist: create it before using it in a URL-endpoint.`);
  const urlRewriter = checkedRewriter(body.urlRewriter);
  return { id, description, urlPrefix, origins: origins as string[], ...(urlRewriter ? { urlRewriter } : {}) };
}

export const urlEndpointRoutes = collectionRoutes<UrlEndpointRecord>(
  {
    path: '/v1/accounts/url-endpoints',
    items: (store) => store.account.urlEndpoints,
    notFound: () => new ApiFailure(404, 'URL-endpoint not found.'),
    updateMethod: 'PUT',
    create: (id, body, context) => checkedEndpoint(id, body, context),
    update: (existing, body, context) => checkedEndpoint(existing.id, body, context),
    checkDelete(endpoint) {
      if (endpoint.id === DEFAULT_URL_ENDPOINT_ID) throw new ApiFailure(400, 'Default URL-endpoint cannot be deleted.');
    },
  },
);
