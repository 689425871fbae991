// GET /admin-api/home: what the dashboard's Home shows in one request — entries per content type,
// the latest edits and the caller's own unpublished drafts. Everything is filtered by what the
// caller may read: the role's conditions become part of each query's WHERE (applyAbility), so an
// Author's counts are their own entries and a restricted type simply does not appear.
import Router from '@koa/router';
import type { Knex } from 'knex';
import { permittedFields, type AppAbility } from '../../access/ability.js';
import { applyAbility, UnknownConditionFieldError } from '../../access/conditions-sql.js';
import { abilityOf } from '../../access/service.js';
import { toIsoDateTime } from '../../content/values.js';
import { resolverFor } from '../../content/operations/permissions.js';
import { ValidationError } from '../../errors.js';
import type { Folio } from '../../folio.js';
import type { ContentTypeModel } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { mainFieldOf } from '../../schema/text-attributes.js';
import { defineRoutes } from '../define.js';
import { editableStatus } from '../../content/documents.js';

/** How many recent edits and drafts Home lists. */
const LIST_SIZE = 10;

export interface HomeCount {
  uid: string;
  displayName: string;
  kind: ContentTypeModel['kind'];
  /** Documents the caller may read (each counted once, whatever its locales and versions). */
  total: number;
  /** Of those, documents with a published version (draft & publish types; otherwise every one). */
  published: number;
}

export interface HomeEntry {
  uid: string;
  displayName: string;
  documentId: string;
  /** The entry's title (its first readable text field), null when none is readable. */
  label: string | null;
  locale: string | null;
  updatedAt: string;
  updatedBy: { id: number; name: string } | null;
  /** Draft & publish types: whether a published version exists. */
  published: boolean;
}

interface Row {
  document_id: string;
  locale: string;
  updated_at: unknown;
  updated_by_id: number | null;
  label?: unknown;
  published_id?: number | null;
}

/** The column that names an entry: its main field, as lists and pickers show it, when the caller may read it. */
function labelColumn(type: ContentTypeModel, ability: AppAbility): string | undefined {
  const main = mainFieldOf(type);
  if (main === null || !permittedFields(ability, 'read', type.uid, [main]).includes(main)) return undefined;
  const field = type.fields.get(main);
  return field?.kind === 'scalar' ? field.column : undefined;
}

export function adminHomeRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api' });
  const { db } = folio;

  /** The version an editor works on: the draft of a draft & publish type, else the only one. */

  /** Rows of `type` the caller may read, aliased t0; false when conditions cannot be compiled. */
  function readable(qb: Knex.QueryBuilder, ability: AppAbility, type: ContentTypeModel): boolean {
    try {
      return applyAbility(qb, ability, 'read', type.uid, resolverFor(type, 't0'));
    } catch (err) {
      // A condition naming a relation path is not compiled here: leave the type out rather than
      // count rows the role may not see.
      if (err instanceof UnknownConditionFieldError) return false;
      throw err;
    }
  }

  async function countOf(type: ContentTypeModel, ability: AppAbility): Promise<HomeCount | null> {
    const totalQuery = db.from({ t0: type.table }).where(`t0.${S.status}`, editableStatus(type)).countDistinct({ n: `t0.${S.documentId}` });
    if (!readable(totalQuery, ability, type)) return null;
    const total = Number(((await totalQuery) as { n: number | string }[])[0]?.n ?? 0);
    let published = total;
    if (type.draftAndPublish) {
      const publishedQuery = db.from({ t0: type.table }).where(`t0.${S.status}`, 'published').countDistinct({ n: `t0.${S.documentId}` });
      readable(publishedQuery, ability, type);
      published = Number(((await publishedQuery) as { n: number | string }[])[0]?.n ?? 0);
    }
    return { uid: type.uid, displayName: type.displayName, kind: type.kind, total, published };
  }

  /** The latest editable rows of `type` the caller may read, optionally only their own unpublished drafts. */
  async function entriesOf(type: ContentTypeModel, ability: AppAbility, mine?: number): Promise<Array<HomeEntry & { sortKey: number }>> {
    const label = labelColumn(type, ability);
    const qb = db
      .from({ t0: type.table })
      .where(`t0.${S.status}`, editableStatus(type))
      .orderBy([{ column: `t0.${S.updatedAt}`, order: 'desc' }, { column: `t0.${S.id}`, order: 'desc' }])
      .limit(LIST_SIZE)
      .select(`t0.${S.documentId} as document_id`, `t0.${S.locale} as locale`, `t0.${S.updatedAt} as updated_at`, `t0.${S.updatedBy} as updated_by_id`);
    if (label) qb.select(`t0.${label} as label`);
    if (type.draftAndPublish) {
      qb.leftJoin({ p: type.table }, (on) => {
        on.on(`p.${S.documentId}`, '=', `t0.${S.documentId}`).andOn(`p.${S.locale}`, '=', `t0.${S.locale}`).andOnVal(`p.${S.status}`, '=', 'published');
      }).select(`p.${S.id} as published_id`);
      if (mine !== undefined) qb.whereNull(`p.${S.id}`);
    }
    if (mine !== undefined) qb.where(`t0.${S.createdBy}`, mine);
    if (!readable(qb, ability, type)) return [];
    const rows = (await qb) as Row[];
    return rows.map((r) => {
      const updatedAt = toIsoDateTime(r.updated_at) ?? new Date(0).toISOString();
      return {
        uid: type.uid,
        displayName: type.displayName,
        documentId: r.document_id,
        label: r.label === undefined || r.label === null || r.label === '' ? null : String(r.label),
        locale: type.localized ? r.locale : null,
        updatedAt,
        updatedBy: r.updated_by_id === null ? null : { id: Number(r.updated_by_id), name: '' },
        published: type.draftAndPublish ? r.published_id !== null && r.published_id !== undefined : true,
        sortKey: Date.parse(updatedAt),
      };
    });
  }

  /** The latest `LIST_SIZE` of several types' lists, newest first, with the editors' names. */
  async function latest(lists: Array<Array<HomeEntry & { sortKey: number }>>): Promise<HomeEntry[]> {
    const merged = lists.flat().sort((a, b) => b.sortKey - a.sortKey).slice(0, LIST_SIZE);
    const ids = [...new Set(merged.flatMap((e) => (e.updatedBy ? [e.updatedBy.id] : [])))];
    const users = ids.length
      ? ((await db('folio_admin_users').whereIn('id', ids).select('id', 'firstname', 'lastname', 'email')) as { id: number; firstname: string; lastname: string; email: string }[])
      : [];
    const names = new Map(users.map((u) => [Number(u.id), `${u.firstname} ${u.lastname}`.trim() || u.email]));
    return merged.map(({ sortKey: _sortKey, ...entry }) => ({
      ...entry,
      updatedBy: entry.updatedBy && names.has(entry.updatedBy.id) ? { id: entry.updatedBy.id, name: names.get(entry.updatedBy.id)! } : null,
    }));
  }

  return defineRoutes(router, [
    {
      method: 'get',
      path: '/home',
      permission: 'authenticated',
      handler: async (ctx) => {
        const unknown = Object.keys(ctx.query)[0];
        if (unknown !== undefined) throw ValidationError.query(`Invalid query parameter "${unknown}"`, unknown, unknown);
        const caller = ctx.state.caller!;
        const ability = abilityOf(caller);
        const me = caller.kind === 'admin' ? caller.id : undefined;
        const schema = await folio.schema.current();
        const types = [...schema.contentTypes.values()].filter((t) => ability.can('read', t.uid)).sort((a, b) => a.displayName.localeCompare(b.displayName));
        const counts: HomeCount[] = [];
        for (const type of types) {
          const count = await countOf(type, ability);
          if (count) counts.push(count);
        }
        const shown = types.filter((t) => counts.some((c) => c.uid === t.uid));
        const recent = await latest(await Promise.all(shown.map((t) => entriesOf(t, ability))));
        const drafts = me === undefined ? [] : await latest(await Promise.all(shown.filter((t) => t.draftAndPublish).map((t) => entriesOf(t, ability, me))));
        ctx.body = { data: { counts, recent, myDrafts: drafts } };
      },
    },
  ]);
}
