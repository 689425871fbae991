// ContentQuery pieces → knex. Filters become WHERE clauses on the row's own table; conditions through
// relations become EXISTS subqueries (no join, so no duplicated rows and a lean count query), which
// also makes `$not` negate the whole condition over to-many relations (docs/content-api.md: unlike Strapi).
import type { Knex } from 'knex';
import { dialectOf, lowerFunction, type DialectName } from '../../db/connection.js';
import type { ContentTypeModel, RelationField, SchemaModel } from '../../schema/model.js';
import { TEXT_COMPARABLE_TYPES } from '../../schema/text-attributes.js';
import { COMPONENT_LINK_COLUMNS as C, RELATION_LINK_COLUMNS as L, SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import type { ColumnRef, DocumentState, Filter, SortItem, SqlValue } from './ast.js';

export interface ReadScope {
  status: 'draft' | 'published';
  /** The request's locale ('' when the requested type is not localized). */
  locale: string;
  defaultLocale: string;
}

/** Which version of a type's documents a read sees: same status as the request, published for
 *  types without draft & publish; same locale when localized, '' otherwise. */
export function versionOf(type: ContentTypeModel, scope: ReadScope): { status: string; locale: string } {
  return {
    status: type.draftAndPublish ? scope.status : 'published',
    locale: type.localized ? scope.locale || scope.defaultLocale : '',
  };
}

export interface SortKey {
  expression: string | Knex.QueryBuilder;
  direction: SortItem['direction'];
}

export class Compiler {
  private aliasCount = 0;
  constructor(
    readonly db: Knex,
    readonly dialect: DialectName,
    readonly schema: SchemaModel,
    readonly scope: ReadScope,
  ) {}

  alias(): string {
    this.aliasCount += 1;
    return `t${this.aliasCount}`;
  }

  /** The same restriction in a join's ON clause (a LEFT JOIN must keep rows without a match). */
  joinVersion(join: Knex.JoinClause, alias: string, type: ContentTypeModel): void {
    const v = versionOf(type, this.scope);
    join.andOnVal(`${alias}.${S.status}`, '=', v.status).andOnVal(`${alias}.${S.locale}`, '=', v.locale);
  }

  /** Restricts `alias` (a row of `type`) to the version the request reads. */
  whereVersion(qb: Knex.QueryBuilder, alias: string, type: ContentTypeModel): void {
    const v = versionOf(type, this.scope);
    qb.where(`${alias}.${S.status}`, v.status).where(`${alias}.${S.locale}`, v.locale);
  }

  /**
   * A subquery over the visible targets of `field` for the row `alias`; the target row is `ta`.
   * Owner side: link.entity_id = row id, target by document id. Inverse side: the owner's rows
   * whose links point at this row's document.
   */
  relatedRows(field: RelationField, target: ContentTypeModel, alias: string, ta: string): Knex.QueryBuilder {
    const la = this.alias();
    const sub = this.db.from({ [la]: field.linkTable });
    if (field.owner) {
      sub
        .join({ [ta]: target.table }, `${ta}.${S.documentId}`, `${la}.${L.targetDocumentId}`)
        .whereRaw('?? = ??', [`${la}.${L.entityId}`, `${alias}.${S.id}`]);
    } else {
      sub
        .join({ [ta]: target.table }, `${ta}.${S.id}`, `${la}.${L.entityId}`)
        .whereRaw('?? = ??', [`${la}.${L.targetDocumentId}`, `${alias}.${S.documentId}`]);
    }
    this.whereVersion(sub, ta, target);
    return sub;
  }

  applyFilter(qb: Knex.QueryBuilder, filter: Filter, alias: string): void {
    switch (filter.kind) {
      case 'and':
        for (const item of filter.items)
          qb.where((q) => {
            this.applyFilter(q, item, alias);
          });
        return;
      case 'or':
        if (filter.items.length === 0) return;
        qb.where((or) => {
          for (const item of filter.items)
            or.orWhere((q) => {
              this.applyFilter(q, item, alias);
            });
        });
        return;
      case 'not':
        if (filter.item.kind === 'and' && filter.item.items.length === 0) {
          qb.whereRaw('1 = 0');
          return;
        }
        qb.whereNot((q) => {
          this.applyFilter(q, filter.item, alias);
        });
        return;
      case 'relation': {
        const ta = this.alias();
        const sub = this.relatedRows(filter.field, filter.target, alias, ta).select(this.db.raw('1'));
        if (filter.filter) this.applyFilter(sub, filter.filter, ta);
        if (filter.exists) qb.whereExists(sub);
        else qb.whereNotExists(sub);
        return;
      }
      case 'component': {
        const la = this.alias();
        const ca = this.alias();
        const sub = this.db
          .from({ [la]: filter.field.linkTable })
          .join({ [ca]: filter.model.table }, `${ca}.id`, `${la}.${C.componentId}`)
          .whereRaw('?? = ??', [`${la}.${C.entityId}`, `${alias}.${S.id}`])
          .where(`${la}.${C.field}`, filter.field.name)
          .where(`${la}.${C.componentType}`, filter.model.uid)
          .select(this.db.raw('1'));
        this.applyFilter(sub, filter.filter, ca);
        qb.whereExists(sub);
        return;
      }
      case 'documentState': {
        qb.where((inner) => this.documentState(inner, filter.type, filter.state, alias));
        return;
      }
      case 'publishedVersion': {
        const pa = this.alias();
        const published = this.publishedRow(filter.type, alias, pa);
        this.applyFilter(published, filter.filter, pa);
        qb.whereExists(published);
        return;
      }
      case 'compare': {
        const { sql, bindings } = this.comparison(
          `${alias}.${filter.column.column}`,
          filter.column,
          filter.op,
          filter.value,
        );
        qb.whereRaw(sql, bindings);
        return;
      }
    }
  }

  /** The published row (aliased `pa`) of the document of row `alias`, in its locale. */
  private publishedRow(type: ContentTypeModel, alias: string, pa: string): Knex.QueryBuilder {
    return this.db
      .from({ [pa]: type.table })
      .select(this.db.raw('1'))
      .whereRaw('?? = ??', [`${pa}.${S.documentId}`, `${alias}.${S.documentId}`])
      .whereRaw('?? = ??', [`${pa}.${S.locale}`, `${alias}.${S.locale}`])
      .where(`${pa}.${S.status}`, 'published');
  }

  /** The row `alias` (a draft) by the published row of its document in its locale (ast.ts, documentState). */
  private documentState(qb: Knex.QueryBuilder, type: ContentTypeModel, state: DocumentState, alias: string): void {
    // Without draft & publish every entry is published, and nothing is a draft or modified.
    if (!type.draftAndPublish) {
      if (state !== 'published') qb.whereRaw('1 = 0');
      return;
    }
    const pa = this.alias();
    const published = this.publishedRow(type, alias, pa);
    const updated = [`${pa}.${S.updatedAt}`, `${alias}.${S.updatedAt}`];
    if (state === 'draft') qb.whereNotExists(published);
    else if (state === 'modified') qb.whereExists(published.whereRaw('?? < ??', updated));
    else qb.whereExists(published.whereRaw('?? >= ??', updated));
  }

  private isText(column: ColumnRef): boolean {
    return TEXT_COMPARABLE_TYPES.has(column.type);
  }

  /** The comparison as raw SQL; `??` binds the column identifier. */
  comparison(
    col: string,
    column: ColumnRef,
    op: string,
    value: SqlValue | SqlValue[],
  ): { sql: string; bindings: Knex.RawBinding[] } {
    const mysql = this.dialect === 'mysql';
    const lower = lowerFunction(this.dialect);
    const text = this.isText(column);
    const v = value as Knex.RawBinding;
    const like = (s: string) => s.replace(/[!%_]/g, '!$&');
    const eqSensitive = (): { sql: string; bindings: Knex.RawBinding[] } =>
      // The first test can use the (case-insensitive) index; the byte comparison makes it exact
      // (CAST … AS BINARY rather than the BINARY operator, deprecated in MySQL 8.0.27).
      mysql && text
        ? { sql: '(?? = ? AND CAST(?? AS BINARY) = CAST(? AS BINARY))', bindings: [col, v, col, v] }
        : { sql: '?? = ?', bindings: [col, v] };
    const sensitiveLike = (pattern: 'contains' | 'starts' | 'ends'): { sql: string; bindings: Knex.RawBinding[] } => {
      const s = String(value);
      if (s === '') return { sql: '?? IS NOT NULL', bindings: [col] };
      if (mysql) {
        const p = pattern === 'contains' ? `%${like(s)}%` : pattern === 'starts' ? `${like(s)}%` : `%${like(s)}`;
        return { sql: "?? COLLATE utf8mb4_bin LIKE ? ESCAPE '!'", bindings: [col, p] };
      }
      // SQLite's LIKE ignores ASCII case: instr/substr compare exactly, with no wildcards at all.
      if (pattern === 'contains') return { sql: 'instr(??, ?) > 0', bindings: [col, s] };
      if (pattern === 'starts') return { sql: 'substr(??, 1, length(?)) = ?', bindings: [col, s, s] };
      return { sql: 'substr(??, -length(?)) = ?', bindings: [col, s, s] };
    };
    const insensitiveLike = (pattern: 'contains' | 'starts' | 'ends'): { sql: string; bindings: Knex.RawBinding[] } => {
      const s = like(String(value));
      const p = pattern === 'contains' ? `%${s}%` : pattern === 'starts' ? `${s}%` : `%${s}`;
      return { sql: `${lower}(??) LIKE ${lower}(?) ESCAPE '!'`, bindings: [col, p] };
    };
    const negate = (c: { sql: string; bindings: Knex.RawBinding[] }) => ({
      sql: `NOT (${c.sql})`,
      bindings: c.bindings,
    });
    switch (op) {
      case '$eq':
        return value === null ? { sql: '?? IS NULL', bindings: [col] } : eqSensitive();
      case '$ne':
        return value === null
          ? { sql: '?? IS NOT NULL', bindings: [col] }
          : mysql && text
            ? { sql: 'CAST(?? AS BINARY) <> CAST(? AS BINARY)', bindings: [col, v] }
            : { sql: '?? <> ?', bindings: [col, v] };
      case '$eqi':
        return { sql: `${lower}(??) = ${lower}(?)`, bindings: [col, v] };
      case '$nei':
        return { sql: `${lower}(??) <> ${lower}(?)`, bindings: [col, v] };
      case '$lt':
        return { sql: '?? < ?', bindings: [col, v] };
      case '$lte':
        return { sql: '?? <= ?', bindings: [col, v] };
      case '$gt':
        return { sql: '?? > ?', bindings: [col, v] };
      case '$gte':
        return { sql: '?? >= ?', bindings: [col, v] };
      case '$between': {
        const [a, b] = value as SqlValue[];
        return { sql: '?? BETWEEN ? AND ?', bindings: [col, a as Knex.RawBinding, b as Knex.RawBinding] };
      }
      case '$in':
      case '$notIn': {
        const list = (value as SqlValue[]).filter((x) => x !== null) as Knex.RawBinding[];
        if (list.length === 0) return { sql: op === '$in' ? '1 = 0' : '1 = 1', bindings: [] };
        const marks = list.map(() => '?').join(', ');
        if (mysql && text) {
          const bmarks = list.map(() => 'CAST(? AS BINARY)').join(', ');
          return op === '$in'
            ? {
                sql: `(?? IN (${marks}) AND CAST(?? AS BINARY) IN (${bmarks}))`,
                bindings: [col, ...list, col, ...list],
              }
            : { sql: `CAST(?? AS BINARY) NOT IN (${bmarks})`, bindings: [col, ...list] };
        }
        return { sql: `?? ${op === '$in' ? 'IN' : 'NOT IN'} (${marks})`, bindings: [col, ...list] };
      }
      case '$null':
        return { sql: value ? '?? IS NULL' : '?? IS NOT NULL', bindings: [col] };
      case '$contains':
        return sensitiveLike('contains');
      case '$notContains':
        return negate(sensitiveLike('contains'));
      case '$startsWith':
        return sensitiveLike('starts');
      case '$endsWith':
        return sensitiveLike('ends');
      case '$containsi':
        return insensitiveLike('contains');
      case '$notContainsi':
        return negate(insensitiveLike('contains'));
      case '$startsWithi':
        return insensitiveLike('starts');
      case '$endsWithi':
        return insensitiveLike('ends');
      default:
        throw new Error(`unknown operator ${op}`);
    }
  }

  /** What each sort item orders by: a column of `alias`, or a scalar subquery through relations. */
  sortKeys(sort: SortItem[], alias: string): SortKey[] {
    return sort.map((item) => ({
      expression: item.via.length === 0 ? `${alias}.${item.column.column}` : this.chainScalar(item, alias),
      direction: item.direction,
    }));
  }

  /** ORDER BY for `alias`, always ending with the id tie-break. A to-one relation field is read by a
   *  correlated scalar subquery: no join, so no duplicated rows and nothing added to the count. */
  applySort(qb: Knex.QueryBuilder, sort: SortItem[], alias: string, tieBreak = true): void {
    for (const key of this.sortKeys(sort, alias)) {
      if (typeof key.expression === 'string') qb.orderBy(key.expression, key.direction);
      else qb.orderByRaw(`(?) ${key.direction}`, [key.expression]);
    }
    if (tieBreak) qb.orderBy(`${alias}.${S.id}`, 'asc');
  }

  /** SELECT the sorted column through a chain of to-one relations, as one nested scalar subquery. */
  private chainScalar(item: SortItem, alias: string): Knex.QueryBuilder {
    const build = (index: number, from: string): Knex.QueryBuilder => {
      const field = item.via[index];
      const target = this.schema.contentTypes.get(field.target) as ContentTypeModel;
      const ta = this.alias();
      const rows = this.relatedRows(field, target, from, ta);
      const readable = item.where?.[index];
      if (readable) this.applyFilter(rows, readable, ta);
      if (index === item.via.length - 1)
        return rows.select(`${ta}.${item.column.column}`).orderBy(`${ta}.${S.id}`).limit(1);
      const inner = build(index + 1, ta);
      return rows.select(inner.as('v')).orderBy(`${ta}.${S.id}`).limit(1);
    };
    return build(0, alias);
  }
}

/** Whether a filter goes through relations or components (EXISTS over other tables' versions). */
export function crossesRelations(filter: Filter | null): boolean {
  if (!filter) return false;
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.items.some(crossesRelations);
    case 'not':
      return crossesRelations(filter.item);
    case 'relation':
    case 'component':
      return true;
    case 'publishedVersion':
      return crossesRelations(filter.filter);
    case 'compare':
    case 'documentState':
      return false;
  }
}

/**
 * `filter` on the row `alias` of `qb`, a builder of the write path (a row check inside a write's
 * transaction: a role's conditions, the version an operation writes). The same Compiler as reads; a
 * filter through relations would need the read's versions (its ReadScope) and is refused.
 */
export function applyRowFilter(
  db: Knex,
  schema: SchemaModel,
  qb: Knex.QueryBuilder,
  filter: Filter,
  alias: string,
): void {
  if (crossesRelations(filter)) throw new Error('A row check cannot filter through relations: it has no read scope');
  const compiler = new Compiler(db, dialectOf(db), schema, { status: 'draft', locale: '', defaultLocale: '' });
  compiler.applyFilter(qb, filter, alias);
}
