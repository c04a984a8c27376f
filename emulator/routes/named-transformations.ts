/**
 * Named transformations: a name that stands for a transformation string in URLs (`tr:n-<name>`).
 * Names are letters, digits and `_`, case-sensitive and unique; at most 250 an account. Delivery
 * expands a name through `store.namedTransformation(name)`.
 */
import { explainTransformationString } from '../../src/transformation.js';
import { ApiFailure } from '../server/errors.js';
import type { NamedTransformationRecord } from '../store/account.js';
import { booleanField, textField } from './body-fields.js';
import { collectionRoutes, requireUniqueName } from './collection.js';
import { dateNow } from './context.js';

const NAME = { pattern: /^[A-Za-z0-9_]+$/, max: 100, expected: 'letters, digits and _ only' };
const NAME_TAKEN = 'A named transformation with this name already exists.';

/** A transformation string whose every parameter is one ImageKit knows (400 otherwise). */
function checkedTransformation(transformation: string): string {
  const unknown = explainTransformationString(transformation.replace(/^tr:/, '')).find((p) => p.name === null);
  if (unknown) throw new ApiFailure(400, `Your request contains invalid transformation parameter: unknown parameter "${unknown.code}".`);
  return transformation;
}

export const namedTransformationRoutes = collectionRoutes<NamedTransformationRecord>(
  {
    path: '/v1/named-transformations',
    items: (store) => store.account.namedTransformations,
    notFound: () => new ApiFailure(404, 'The requested named transformation does not exist.'),
    limit: { max: 250, message: 'You can create at most 250 named transformations.' },
    updateMethod: 'PATCH',
    create(id, body, context) {
      const name = textField(body, 'name', { required: true, ...NAME })!;
      const transformation = checkedTransformation(textField(body, 'transformation', { required: true })!);
      const enabled = booleanField(body, 'enabled') ?? true;
      requireUniqueName(context.store.account.namedTransformations, name, undefined, NAME_TAKEN);
      return { id, name, transformation, enabled, createdAt: dateNow(context).toISOString() };
    },
    update(existing, body, context) {
      const name = textField(body, 'name', NAME) ?? existing.name;
      const transformation = textField(body, 'transformation', { pattern: /./, expected: 'a transformation string' });
      const enabled = booleanField(body, 'enabled') ?? existing.enabled;
      requireUniqueName(context.store.account.namedTransformations, name, existing.id, NAME_TAKEN);
      return { ...existing, name, enabled, transformation: transformation === undefined ? existing.transformation : checkedTransformation(transformation) };
    },
  },
);
