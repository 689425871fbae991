// Where the media library meets the schema. Uploads with `ref`/`refId`/`field` (Strapi's upload
// plugin) name an entry's media field: `ref` names the type (`article` or Strapi's
// `api::article.article`), `refId` the entry — a row id (any version of it: the document's editable
// version in that row's locale is what gets linked) or a documentId (the default locale).
// And the link rows name a row's table and field: `linkedFieldTypes` answers that field's
// `allowedTypes`, for the media library to refuse a replacement a linking field would not accept.
import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../errors.js';
import {
  normaliseTarget,
  type ContentTypeModel,
  type MediaField,
  type SchemaModel,
  type SchemaSource,
} from '../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../schema/naming.js';
import type { LinkedFieldTypes } from '../media/service.js';

export interface MediaRef {
  type: ContentTypeModel;
  field: MediaField;
}

/** The media field `ref`/`field` name; 400 (on `ref`) when there is none. */
export function mediaFieldOf(schema: SchemaModel, ref: string, field: string): MediaRef {
  const type = schema.contentTypes.get(normaliseTarget(ref));
  const media = type?.fields.get(field);
  if (!type || media?.kind !== 'media') {
    throw ValidationError.fromErrors([
      { path: ['ref'], message: `"${ref}" has no media field "${field}"`, name: 'ValidationError' },
    ]);
  }
  return { type, field: media };
}

/** The document (and locale, for a row id) `refId` names; 404 when there is none. */
export async function refEntryOf(
  db: Knex,
  type: ContentTypeModel,
  refId: string,
): Promise<{ documentId: string; locale?: string }> {
  const byId = /^\d{1,15}$/.test(refId);
  const row = await db(type.table)
    .where(byId ? S.id : S.documentId, byId ? Number(refId) : refId)
    .first<Record<string, string | null> | undefined>(S.documentId, S.locale);
  if (!row) throw new NotFoundError(`No ${type.singularName} ${refId}`);
  const locale = String(row[S.locale] ?? '');
  return { documentId: String(row[S.documentId]), ...(byId && locale ? { locale } : {}) };
}

/** The `allowedTypes` of the media field a link row goes through (content types and components). */
export function linkedFieldTypes(schema: SchemaSource): LinkedFieldTypes {
  return async () => {
    const current = await schema.current();
    return (entityTable, fieldName) => {
      for (const model of [...current.contentTypes.values(), ...current.components.values()]) {
        if (model.table !== entityTable) continue;
        const field = model.fields.get(fieldName);
        return field?.kind === 'media' ? field.attribute.allowedTypes : undefined;
      }
      return undefined;
    };
  };
}
