/**
 * Origins (beta): where ImageKit fetches files that are not in the media library. Eight types, each
 * with its own fields (src/origins.ts); created and replaced whole (PUT), secrets included, and never
 * answered with their secrets. An origin a URL endpoint uses cannot be deleted.
 */
import { COMMON_ORIGIN_DEFAULTS, isOriginType, ORIGIN_SPECS, ORIGIN_TYPES } from '../../src/origins.js';
import { ApiFailure } from '../server/errors.js';
import type { OriginRecord } from '../store/account.js';
import { booleanField, textField } from './body-fields.js';
import { collectionRoutes, requireUniqueName } from './collection.js';
import type { EmulatorContext } from './context.js';

const URL_FIELD = { pattern: /^https?:\/\/\S+$/, expected: 'an http(s) URL' };
const URL_FIELDS = new Set(['baseUrl', 'endpoint']);

/** An origin from a create or replace body, checked field by field against its type. */
function checkedOrigin(id: string, body: Record<string, unknown>, { store }: EmulatorContext, isNew: boolean): OriginRecord {
  const { type } = body;
  if (!isOriginType(type)) throw new ApiFailure(400, `Your request contains invalid type parameter: it must be one of ${ORIGIN_TYPES.join(', ')}.`);
  const name = textField(body, 'name', { required: true, pattern: /^[a-zA-Z0-9 ]+$/, max: 100, expected: 'letters, digits and spaces, at most 100' })!;
  requireUniqueName(store.account.origins, name, isNew ? undefined : id, 'An origin with this name already exists.');
  const spec = ORIGIN_SPECS[type];
  const origin: OriginRecord = { id, type, name };
  for (const field of spec.required) origin[field] = textField(body, field, { required: true, ...(URL_FIELDS.has(field) ? URL_FIELD : {}) });
  // With an IAM role, the keys are sent as empty strings.
  const iamRole = 'useIAMRole' in spec.defaults && booleanField(body, 'useIAMRole') === true;
  for (const field of spec.hidden) {
    origin[field] = iamRole ? textField(body, field, { pattern: /^$/, expected: 'empty when useIAMRole is true' }) ?? '' : textField(body, field, { required: true });
  }
  for (const [field, fallback] of Object.entries({ ...spec.defaults, ...COMMON_ORIGIN_DEFAULTS })) {
    const value = typeof fallback === 'boolean' ? booleanField(body, field) : textField(body, field);
    if (value !== undefined) origin[field] = value;
  }
  const canonical = textField(body, 'baseUrlForCanonicalHeader', URL_FIELD);
  if (canonical !== undefined) origin.baseUrlForCanonicalHeader = canonical;
  return origin;
}

/** An origin as the API answers: its type's fields with their defaults, never the hidden ones. */
function presentOrigin(origin: OriginRecord): Record<string, unknown> {
  const spec = ORIGIN_SPECS[origin.type];
  const shown: Record<string, unknown> = { id: origin.id, type: origin.type, name: origin.name };
  for (const field of spec.required) shown[field] = origin[field];
  for (const [field, fallback] of Object.entries({ ...spec.defaults, ...COMMON_ORIGIN_DEFAULTS })) shown[field] = origin[field] ?? fallback;
  if (origin.baseUrlForCanonicalHeader !== undefined) shown.baseUrlForCanonicalHeader = origin.baseUrlForCanonicalHeader;
  return shown;
}

export const originRoutes = collectionRoutes<OriginRecord>(
  {
    path: '/v1/accounts/origins',
    items: (store) => store.account.origins,
    // The API's own answer has the message as a list.
    notFound: () => new ApiFailure(404, 'Origin not found.', { message: ['Origin not found.'] }),
    updateMethod: 'PUT',
    create: (id, body, context) => checkedOrigin(id, body, context, true),
    update: (existing, body, context) => checkedOrigin(existing.id, body, context, false),
    checkDelete(origin, { store }) {
      const users = store.account.urlEndpoints.filter((endpoint) => endpoint.origins.includes(origin.id));
      if (users.length > 0) throw new ApiFailure(400, `The origin is used by URL-endpoint(s) ${users.map((e) => e.id).join(', ')}: remove it from them first.`);
    },
    present: presentOrigin,
  },
);
