// The typed query of a Content API read, after parsing and validation against the model.
// Everything here is trusted: the compiler (compile.ts) and the executor (execute.ts) never re-check.
import type { ScalarType } from '../../schema/types.js';
import type {
  ComponentField,
  ComponentModel,
  ContentTypeModel,
  MediaField,
  RelationField,
} from '../../schema/model.js';

/** A column a filter, sort or field list can name: an attribute, or a system column. */
export interface ColumnRef {
  /** API name (`title`, `createdAt`). */
  name: string;
  column: string;
  type: ScalarType | 'id';
}

/** The filter operators of the query language (Strapi 5's, without `$and`/`$or`/`$not`, which combine). */
export const OPERATORS = [
  '$eq',
  '$eqi',
  '$ne',
  '$nei',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  '$in',
  '$notIn',
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
  '$null',
  '$notNull',
  '$between',
  '$startsWith',
  '$startsWithi',
  '$endsWith',
  '$endsWithi',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** A value bound to SQL: already typed by the attribute. */
export type SqlValue = string | number | boolean | Date | null;

export type Filter =
  | { kind: 'and'; items: Filter[] }
  | { kind: 'or'; items: Filter[] }
  | { kind: 'not'; item: Filter }
  | { kind: 'compare'; column: ColumnRef; op: Operator; value: SqlValue | SqlValue[] }
  /** Some related (visible) entry matches `filter`; `exists: false` means there is none at all. */
  | { kind: 'relation'; field: RelationField; target: ContentTypeModel; filter: Filter | null; exists: boolean }
  /** Some instance of a (repeatable) component field matches `filter`. */
  | { kind: 'component'; field: ComponentField; model: ComponentModel; filter: Filter }
  /**
   * How the row (a draft) stands to the published row of its document in the same locale: `draft`
   * none, `modified` one updated before the draft, `published` one as recent as the draft or more
   * (the Admin API's `status` filter).
   */
  | { kind: 'documentState'; type: ContentTypeModel; state: DocumentState }
  /**
   * The published row of the row's document in the same locale exists and matches `filter`. The
   * Admin API lists drafts, whose own publishedAt is empty: its publishedAt filters ask this.
   */
  | { kind: 'publishedVersion'; type: ContentTypeModel; filter: Filter };

/** The state of a document as an editor sees it: which of its versions exist and which is newer. */
export type DocumentState = 'draft' | 'published' | 'modified';

/** Every row: an AND of nothing. */
export const EVERY_ROW: Filter = { kind: 'and', items: [] };
/** No row: NOT of an AND of nothing (compiled `1 = 0`). */
export const NO_ROW: Filter = { kind: 'not', item: EVERY_ROW };

/** `items` ANDed, like Payload's combineQueries: missing ones (null) left out, a single one unwrapped. */
export function allOf(...items: Array<Filter | null | undefined>): Filter | null {
  const present = items.filter((f): f is Filter => f !== null && f !== undefined);
  if (present.length === 0) return null;
  return present.length === 1 ? present[0] : { kind: 'and', items: present };
}

export interface SortItem {
  /** Relation fields crossed to reach the column (to-one only). */
  via: RelationField[];
  /**
   * Per step of `via`, the related rows it may read (a role's read conditions on that step's target,
   * operations/relation-conditions.ts); null: every visible row. Absent: every step reads every
   * visible row (the Content API, callers without conditions), compiled as before.
   */
  where?: Array<Filter | null>;
  column: ColumnRef;
  direction: 'asc' | 'desc';
}

export type Pagination =
  | { style: 'page'; page: number; pageSize: number; withCount: boolean }
  | { style: 'offset'; start: number; limit: number; withCount: boolean };

export interface ComponentPopulate {
  kind: 'component';
  /** Components present (one for a component field, several for a dynamic zone). */
  components: Map<string, NodeSelection>;
}

export interface RelationPopulate {
  kind: 'relation';
  field: RelationField;
  target: ContentTypeModel;
  selection: NodeSelection;
  filter: Filter | null;
  sort: SortItem[];
  /** `populate[tags][count]=true`: `{ count }` of the visible related entries instead of them. */
  count: boolean;
}

export interface MediaPopulate {
  kind: 'media';
  field: MediaField;
  /** Keys of the media shape to keep (id and documentId always); null: all. */
  fields: string[] | null;
}

export type PopulateItem = RelationPopulate | ComponentPopulate | MediaPopulate;

/** What to read of one entry (a content type's row or a component's row). */
export interface NodeSelection {
  model: ContentTypeModel | ComponentModel;
  /** Attribute scalars to return (never private ones). */
  fields: ColumnRef[];
  /** Whether createdAt/updatedAt/publishedAt (and locale) are returned (content types only). */
  system: Set<'createdAt' | 'updatedAt' | 'publishedAt' | 'locale'>;
  populate: Map<string, PopulateItem>;
}

export interface ContentQuery {
  type: ContentTypeModel;
  status: 'draft' | 'published';
  locale: string;
  filter: Filter | null;
  sort: SortItem[];
  pagination: Pagination;
  selection: NodeSelection;
  /** `render=html` (a Folio addition): richtext and blocks answered as sanitised HTML (content/render/). */
  render?: 'html';
}
