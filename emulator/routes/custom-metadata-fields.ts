/**
 * Custom metadata fields: list, create, update and delete the definitions that files' custom
 * metadata is checked against. A deleted field is kept, marked deleted, as ImageKit lists it.
 */
import { ApiFailure } from '../server/errors.js';
import { newId, type CustomField, type MediaStore } from '../store/media-store.js';
import { route, type EmulatorRoute } from './context.js';
import { fieldDescription, schemaRuleProblem } from './field-schema-checks.js';
import { requireString } from './request-checks.js';

const FIELD_TYPES = ['Text', 'Textarea', 'Number', 'Date', 'Boolean', 'SingleSelect', 'MultiSelect'];

function checkFieldSchema(schema: CustomField['schema'] | undefined, name: string): void {
  if (!schema || typeof schema !== 'object' || !FIELD_TYPES.includes(schema.type)) {
    throw new ApiFailure(400, `Invalid schema for the custom metadata field ${name}: type must be one of ${FIELD_TYPES.join(', ')}.`);
  }
  if ((schema.type === 'SingleSelect' || schema.type === 'MultiSelect') && (!Array.isArray(schema.selectOptions) || schema.selectOptions.length === 0)) {
    throw new ApiFailure(400, 'selectOptions is required for SingleSelect and MultiSelect fields.');
  }
  if (schema.isValueRequired && schema.defaultValue === undefined) throw new ApiFailure(400, 'defaultValue is required when isValueRequired is true.');
  const problem = schemaRuleProblem({ name, schema });
  if (problem) throw new ApiFailure(400, `Invalid schema for the custom metadata field ${name}: ${problem}.`);
}

/** A field as the API shows it (without the deleted mark; with its description when it has one). */
const publicField = (field: CustomField) => ({ id: field.id, name: field.name, label: field.label, schema: field.schema, ...(field.description ? { description: field.description } : {}) });

/** The field a path names; deleting a deleted field is a 404 too. */
function findField(fields: MediaStore['fields'], id: string, method: string): CustomField {
  const field = fields.get(id);
  if (!field || (field.deleted && method === 'DELETE')) throw new ApiFailure(404, 'No such custom metadata field exists.');
  return field;
}

export const customMetadataFieldRoutes: EmulatorRoute[] = [
  route('GET', '/v1/customMetadataFields', ({ url }, { store }) => {
    const includeDeleted = url.searchParams.get('includeDeleted') === 'true';
    return { status: 200, body: [...store.fields.values()].filter((f) => includeDeleted || !f.deleted).map(publicField) };
  }),

  route('POST', '/v1/customMetadataFields', ({ body }, { store }) => {
    const name = requireString(body, 'name');
    const label = requireString(body, 'label');
    const schema = body.schema as CustomField['schema'];
    checkFieldSchema(schema, name);
    if ([...store.fields.values()].some((f) => f.name === name)) throw new ApiFailure(400, 'A custom metadata field with this name already exists.');
    if (store.activeFields().some((f) => f.label === label)) throw new ApiFailure(400, 'A custom metadata field with this label already exists.');
    const description = fieldDescription(body);
    const field = store.fields.add({ id: newId(), name, label, schema, ...(description ? { description } : {}) });
    return { status: 201, body: publicField(field) };
  }),

  route('PATCH', '/v1/customMetadataFields/:fieldId', ({ method, params, body }, { store }) => {
    const field = findField(store.fields, params.fieldId, method);
    if (field.deleted) throw new ApiFailure(400, 'Cannot update a deleted custom metadata fields.');
    if ('name' in body) throw new ApiFailure(400, 'Name cannot be updated.');
    const description = fieldDescription(body);
    if (body.label === undefined && body.schema === undefined && description === undefined) throw new ApiFailure(400, 'Either label or schema should be provided.');
    if (typeof body.label === 'string') field.label = body.label;
    // An empty description clears it.
    if (description !== undefined) field.description = description || undefined;
    if (body.schema) {
      const schema = { ...field.schema, ...(body.schema as object) } as CustomField['schema'];
      if (schema.type !== field.schema.type) throw new ApiFailure(400, 'The type of a custom metadata field cannot be changed.');
      checkFieldSchema(schema, field.name);
      field.schema = schema;
    }
    store.fields.changed(field);
    return { status: 200, body: publicField(field) };
  }),

  route('DELETE', '/v1/customMetadataFields/:fieldId', ({ method, params }, { store }) => {
    const field = findField(store.fields, params.fieldId, method);
    field.deleted = true;
    store.fields.changed(field);
    return { status: 204 };
  }),

  // Any other method: the field is looked up first, so a missing field is a 404 of its own.
  route('*', '/v1/customMetadataFields/:fieldId', ({ method, url, params }, { store }) => {
    findField(store.fields, params.fieldId, method);
    throw ApiFailure.noRoute(method, url.pathname);
  }),
];
