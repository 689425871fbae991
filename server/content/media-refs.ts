// Uploads with `ref`/`refId`/`field` (Strapi's upload plugin) link the new files to an entry's media
// field. The media library knows files, the schema knows fields: this resolver joins the two.
// `ref` names the type (`article` or Strapi's `api::article.article`); `refId` is the entry's id,
// or its documentId (then the draft, else the published row, is linked).
import type { Knex } from 'knex';
import type { RefResolver } from '../media/service.js';
import { normaliseTarget, type SchemaSource } from '../schema/model.js';
import { SYSTEM_COLUMNS } from '../schema/naming.js';

export function contentRefResolver(db: Knex, schema: SchemaSource): RefResolver {
  return async (ref, refId, field) => {
    const model = (await schema.current()).contentTypes.get(normaliseTarget(ref));
    const media = model?.fields.get(field);
    if (!model || media?.kind !== 'media') return null;
    const query = db(model.table).select(SYSTEM_COLUMNS.id).orderByRaw(`CASE WHEN ${SYSTEM_COLUMNS.status} = 'draft' THEN 0 ELSE 1 END`).first();
    const row = (/^\d+$/.test(refId)
      ? await query.where(SYSTEM_COLUMNS.id, Number(refId))
      : await query.where(SYSTEM_COLUMNS.documentId, refId)) as { id: number } | undefined;
    if (!row) return null;
    return {
      target: { entityTable: model.table, entityId: row.id, field },
      allowedTypes: media.attribute.allowedTypes,
      multiple: media.multiple,
    };
  };
}
