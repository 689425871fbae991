// buildOpenApiDocument is pure (schema model + caller → document): the naming and filtering rules
// that do not need a database.
import { describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import { SYSTEM_CALLER, type Caller } from '../../server/access/caller.js';
import { buildOpenApiDocument } from '../../server/content/openapi.js';
import { buildModel } from '../../server/schema/model.js';
import type { SchemaDocument } from '../../server/schema/types.js';

const schema: SchemaDocument = {
  contentTypes: {
    error: {
      kind: 'collectionType',
      info: { singularName: 'error', pluralName: 'errors', displayName: 'Error' },
      attributes: { code: { type: 'string' }, token: { type: 'password' } },
    },
    media: {
      kind: 'collectionType',
      info: { singularName: 'media', pluralName: 'medias', displayName: 'Media' },
      attributes: { file: { type: 'media' }, error: { type: 'relation', relation: 'manyToOne', target: 'error' } },
    },
  },
  components: {},
};

const only = (...grants: string[]): Caller => ({
  kind: 'api-token',
  can: (action, subject) => grants.includes(`${subject}.${action}`),
});

describe('buildOpenApiDocument', () => {
  it('gives a content type named like a shared schema its own name, leaving the envelopes intact', async () => {
    const doc = buildOpenApiDocument(buildModel(schema), SYSTEM_CALLER);
    expect(doc.components.schemas.Error).toMatchObject({ required: ['data', 'error'] });
    expect(doc.components.schemas.ErrorEntry).toMatchObject({ title: 'Error' });
    expect(doc.components.schemas.MediaEntry).toMatchObject({ title: 'Media' });
    expect(doc.components.schemas.Media).toMatchObject({ title: 'Media file' });
    expect((await new Validator().validate(doc as unknown as Record<string, unknown>)).valid).toBe(true);
  });

  it('leaves out password attributes', () => {
    const doc = buildOpenApiDocument(buildModel(schema), SYSTEM_CALLER);
    expect(JSON.stringify(doc)).not.toContain('"token"');
  });

  it('leaves out relations to a type the caller may not read, and keeps the document valid', async () => {
    const doc = buildOpenApiDocument(buildModel(schema), only('media.find', 'media.findOne'));
    expect(Object.keys(doc.paths)).toEqual(['/api/medias', '/api/medias/{documentId}']);
    expect(doc.components.schemas.MediaEntry.properties).not.toHaveProperty('error');
    expect(doc.components.schemas).not.toHaveProperty('ErrorEntry');
    expect((await new Validator().validate(doc as unknown as Record<string, unknown>)).valid).toBe(true);
  });

  it('leaves out a field the caller may not read (field permissions), in the schema and the fields parameter', () => {
    const caller: Caller = {
      kind: 'api-token',
      can: (action, subject, field) => subject === 'error' && action === 'find' && field !== 'code',
    };
    const doc = buildOpenApiDocument(buildModel(schema), caller);
    expect(doc.components.schemas.ErrorEntry.properties).not.toHaveProperty('code');
    const fields = doc.paths['/api/errors'].get!.parameters!.find((p) => p.name === 'fields')!;
    expect(fields.schema).toEqual({
      type: 'array',
      items: { type: 'string', enum: ['documentId', 'createdAt', 'updatedAt', 'publishedAt'] },
    });
  });

  it('gives a caller with no credentials at all (no caller) no operation', () => {
    expect(buildOpenApiDocument(buildModel(schema), undefined).paths).toEqual({});
  });
});
