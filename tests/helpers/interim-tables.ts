// INTERIM (replaced by the schema branch's helper once merged): creates the blog's tables with the
// names of server/schema/naming.ts so that the document engine can be exercised before `schema`
// materialises them.
import type { Knex } from 'knex';
import type { SchemaModel } from '../../server/schema/model.js';
import { COMPONENT_LINK_COLUMNS as CL, RELATION_LINK_COLUMNS as RL, SYSTEM_COLUMNS as S, componentLinkTable } from '../../server/schema/naming.js';

export async function createInterimTables(db: Knex, model: SchemaModel): Promise<void> {
  const models = [...model.contentTypes.values(), ...model.components.values()];
  for (const m of models) {
    await db.schema.createTable(m.table, (t) => {
      t.increments('id');
      if (m.modelKind === 'contentType') {
        t.string(S.documentId, 32).notNullable();
        t.string(S.locale, 16).notNullable().defaultTo('');
        t.string(S.status, 9).notNullable();
        t.datetime(S.createdAt).notNullable();
        t.datetime(S.updatedAt).notNullable();
        t.datetime(S.publishedAt).nullable();
        t.integer(S.createdBy).unsigned().nullable();
        t.integer(S.updatedBy).unsigned().nullable();
        t.unique([S.documentId, S.locale, S.status]);
      }
      for (const f of m.scalars) {
        const a = f.attribute;
        switch (a.type) {
          case 'text': case 'richtext': t.text(f.column); break;
          case 'json': case 'blocks': t.json(f.column); break;
          case 'integer': t.integer(f.column); break;
          case 'biginteger': t.bigInteger(f.column); break;
          case 'float': t.double(f.column); break;
          case 'decimal': t.decimal(f.column, 10, 2); break;
          case 'boolean': t.boolean(f.column); break;
          case 'date': t.date(f.column); break;
          case 'time': t.time(f.column); break;
          case 'datetime': t.datetime(f.column); break;
          default: t.string(f.column, 255);
        }
        if (a.unique && m.modelKind === 'contentType') t.unique([f.column, S.locale, S.status]);
      }
    });
  }
  for (const m of models) {
    for (const f of m.fields.values()) {
      if (f.kind === 'relation' && f.owner) {
        await db.schema.createTable(f.linkTable, (t) => {
          t.increments(RL.id);
          t.integer(RL.entityId).unsigned().notNullable().references('id').inTable(m.table).onDelete('CASCADE');
          t.string(RL.targetDocumentId, 32).notNullable().index();
          t.integer(RL.position).notNullable().defaultTo(0);
        });
      }
    }
    if ([...m.fields.values()].some((f) => f.kind === 'component' || f.kind === 'dynamiczone')) {
      await db.schema.createTable(componentLinkTable(m.table), (t) => {
        t.increments(CL.id);
        t.integer(CL.entityId).unsigned().notNullable().references('id').inTable(m.table).onDelete('CASCADE');
        t.string(CL.field, 255).notNullable();
        t.string(CL.componentType, 255).notNullable();
        t.integer(CL.componentId).unsigned().notNullable();
        t.integer(CL.position).notNullable().defaultTo(0);
      });
    }
  }
}
