/**
 * Saved extensions: extension configurations kept under a name, which uploads and file updates
 * refer to as `{"name":"saved-extension","id":"..."}`. At most 100 an account; ids are ImageKit's
 * 24 hex digits.
 */
import { ApiFailure } from '../server/errors.js';
import type { SavedExtensionRecord } from '../store/account.js';
import { textField } from './body-fields.js';
import { collectionRoutes, requireUniqueName } from './collection.js';
import { dateNow } from './context.js';
import { checkedExtensionConfig } from './extension-checks.js';

const NAME_TAKEN = 'A saved extension with this name already exists.';

export const savedExtensionRoutes = collectionRoutes<SavedExtensionRecord>(
  {
    path: '/v1/saved-extensions',
    items: (store) => store.account.savedExtensions,
    notFound: () => new ApiFailure(404, 'The requested saved extension does not exist.'),
    checkId: (id) => {
      if (!/^[0-9a-f]{24}$/.test(id)) throw new ApiFailure(400, 'Invalid saved extension ID.');
    },
    limit: { max: 100, message: 'You can create at most 100 saved extensions.' },
    updateMethod: 'PATCH',
    create(id, body, context) {
      const name = textField(body, 'name', { required: true })!;
      const description = textField(body, 'description', { required: true })!;
      const config = checkedExtensionConfig(body.config);
      requireUniqueName(context.store.account.savedExtensions, name, undefined, NAME_TAKEN);
      const stamp = dateNow(context).toISOString();
      return { id, name, description, config, createdAt: stamp, updatedAt: stamp };
    },
    update(existing, body, context) {
      const name = textField(body, 'name', { pattern: /./, expected: 'a non-empty string' }) ?? existing.name;
      const description = textField(body, 'description', { pattern: /./, expected: 'a non-empty string' }) ?? existing.description;
      const config = body.config === undefined ? existing.config : checkedExtensionConfig(body.config);
      requireUniqueName(context.store.account.savedExtensions, name, existing.id, NAME_TAKEN);
      return { ...existing, name, description, config, updatedAt: dateNow(context).toISOString() };
    },
  },
);
