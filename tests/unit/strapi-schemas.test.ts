// A Strapi export's schemas → Folio's schema file (server/strapi/schemas.ts): relations to Strapi's
// users become Folio's member relations when Folio can hold them (to-one, one-way, on a content
// type), and are left out and listed otherwise.
import { describe, expect, it } from '@jest/globals';
import { convertSchemas } from '../../server/strapi/schemas.js';

const USERS = 'plugin::users-permissions.user';

function exported(attributes: Record<string, unknown>, uid = 'api::article.article') {
  return convertSchemas([
    {
      uid,
      modelType: uid.includes('::') ? 'contentType' : 'component',
      kind: 'collectionType',
      info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
      attributes: { title: { type: 'string' }, ...attributes },
    },
  ]);
}

describe('relations to Strapi users in a converted schema', () => {
  it('keeps a to-one relation as a member relation, never as the owner', () => {
    const { file, skipped } = exported({ reviewer: { type: 'relation', relation: 'manyToOne', target: USERS } });
    expect(file.contentTypes.article.attributes.reviewer).toEqual({
      type: 'relation',
      relation: 'manyToOne',
      target: USERS,
    });
    expect(file.contentTypes.article.options?.owner).toBeUndefined();
    expect(skipped).toEqual([]);
  });

  it('drops the users-side inverse of a kept relation, and says so', () => {
    const { file, skipped } = exported({
      reviewer: { type: 'relation', relation: 'oneToOne', target: USERS, inversedBy: 'review' },
    });
    expect(file.contentTypes.article.attributes.reviewer).toEqual({
      type: 'relation',
      relation: 'oneToOne',
      target: USERS,
    });
    expect(skipped).toEqual([
      'api::article.article.reviewer: its inverse side on the users ("review"): relations to members are one-way',
    ]);
  });

  it('leaves out to-many relations to users and those inside components, listing them', () => {
    const many = exported({ readers: { type: 'relation', relation: 'manyToMany', target: USERS } });
    expect(many.file.contentTypes.article.attributes.readers).toBeUndefined();
    expect(many.skipped).toEqual([
      "api::article.article.readers: a manyToMany relation to the users (Folio's are to-one)",
    ]);
    const inComponent = exported({ by: { type: 'relation', relation: 'manyToOne', target: USERS } }, 'shared.byline');
    expect(inComponent.file.components['shared.byline'].attributes.by).toBeUndefined();
    expect(inComponent.skipped).toEqual([
      "shared.byline.by: a relation to the users inside a component (Folio's are on content types)",
    ]);
  });
});
