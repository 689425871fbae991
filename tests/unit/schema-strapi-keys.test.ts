// The keys of a definition Folio keeps without acting on them (server/schema/strapi-keys.ts), which
// `schema apply` lists.
import { describe, expect, it } from '@jest/globals';
import { unsupportedKeys } from '../../server/schema/strapi-keys.js';
import type { SchemaFile } from '../../server/schema/types.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const info = { singularName: 'article', pluralName: 'articles', displayName: 'Article' };

function article(extra: Record<string, unknown>, attributes: Record<string, unknown> = {}): SchemaFile {
  return {
    contentTypes: {
      article: { kind: 'collectionType', info, ...extra, attributes: { title: { type: 'string' }, ...attributes } },
    },
  };
}

describe('unsupported keys of a schema file', () => {
  it("lists none in Folio's own test schema, which uses Folio's options (indexes, layout, previewUrl)", () => {
    expect(unsupportedKeys(blogSchema)).toEqual([]);
  });

  it('keeps quiet about the keys Folio maps: kind, collectionName, info, its options, owner, i18n.localized', () => {
    const file = article({
      collectionName: 'articles',
      options: { draftAndPublish: false, cacheControl: 'public, max-age=60', owner: 'writer' },
      pluginOptions: { i18n: { localized: true } },
    });
    expect(unsupportedKeys(file)).toEqual([]);
  });

  it("lists the options of plugins Folio lacks, beside i18n's", () => {
    const file = article({ pluginOptions: { i18n: { localized: true }, 'content-manager': { visible: false } } });
    expect(unsupportedKeys(file)).toEqual(['contentTypes.article.pluginOptions.content-manager']);
  });

  it('lists attribute keys its type does not have, and an attribute shared between locales', () => {
    const file = article(
      {},
      {
        views: { type: 'integer', maxLength: 3 },
        slug: { type: 'uid', targetField: 'title', options: { separator: '_' } },
        kind: { type: 'enumeration', enum: ['a'], enumName: 'Kind', pluginOptions: { i18n: { localized: false } } },
      },
    );
    expect(unsupportedKeys(file)).toEqual([
      'contentTypes.article.attributes.views.maxLength',
      'contentTypes.article.attributes.slug.options',
      'contentTypes.article.attributes.kind.enumName',
      'contentTypes.article.attributes.kind.pluginOptions.i18n.localized (false)',
    ]);
  });

  it('lists a custom field with the plugin field it names', () => {
    const file = article({}, { colour: { type: 'customField', customField: 'plugin::color-picker.color' } });
    expect(unsupportedKeys(file)).toEqual([
      'contentTypes.article.attributes.colour (custom field "plugin::color-picker.color")',
    ]);
  });

  it("lists a component's options and unknown info keys", () => {
    const file: SchemaFile = {
      components: {
        'shared.seo': {
          info: { displayName: 'Seo', name: 'Seo' },
          options: { x: 1 },
          attributes: {},
        } as unknown as NonNullable<SchemaFile['components']>[string],
      },
    };
    expect(unsupportedKeys(file)).toEqual(['components.shared.seo.info.name', 'components.shared.seo.options.x']);
  });
});
