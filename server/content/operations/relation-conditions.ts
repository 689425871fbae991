// A role's read conditions inside the relation paths of an editor's read. The rows a read lists are
// held to the caller's conditions by rowFilter (read-as-editor.ts); a filter or a sort through a
// relation reaches other rows, of the target type, and must be held to the conditions of that type
// too, or it is an oracle on rows the caller may not read (`filters[category][slug][$eq]=…` telling
// which hidden category an article links, `sort=category.slug` ordering by it). So every relation
// node of the filters, at any depth and through components, and every step of a sort through
// relations gets the caller's read conditions of its target ANDed in: a related row outside them
// is no related row at all, as in the populated answer (restrictPopulate).
//
// The one exception is the link right (SECURITY.md, section 3): a caller who may create or update a
// relation field picks any of its targets by documentId and main field. Filtering or sorting through
// that field by those alone (id, documentId, main field) tells nothing the picker does not, and keeps
// every target; anything more of the target is held to the conditions.
//
// A caller without conditions has none for any type: its query is left exactly as it was parsed
// (the same nodes, so the same SQL and the same statement templates).
import type { Caller } from '../../access/caller.js';
import type { ComponentModel, ContentTypeModel, RelationField, SchemaModel } from '../../schema/model.js';
import { mainFieldOf } from '../../schema/text-attributes.js';
import { allOf, type ContentQuery, type Filter, type NodeSelection, type SortItem } from '../query/ast.js';
import { mayLinkThrough, rowFilter } from './permissions.js';

/** Where a node of the query stands: the model its columns belong to and, in a component, the content
 *  type field the component was reached through (the field whose link right covers its relations). */
interface Place {
  model: ContentTypeModel | ComponentModel;
  owner?: { type: ContentTypeModel; field: string };
}

/** Does `name` address only what the link right shows of a `target`: its id, documentId, main field? */
function isLabel(name: string, target: ContentTypeModel): boolean {
  return name === 'id' || name === 'documentId' || name === mainFieldOf(target);
}

/** Does `filter` (over rows of `target`) test only what the link right shows of them? */
function labelOnly(filter: Filter | null, target: ContentTypeModel): boolean {
  if (!filter) return true; // has one / has none: the populated field shows as much
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.items.every((item) => labelOnly(item, target));
    case 'not':
      return labelOnly(filter.item, target);
    case 'compare':
      return isLabel(filter.column.name, target);
    default:
      return false;
  }
}

/** The caller's read conditions per related type and its link rights, each asked once per read. */
class RelatedRows {
  private readonly readable = new Map<string, Filter | null>();
  private readonly links = new Map<string, boolean>();

  constructor(
    private readonly caller: Caller,
    private readonly schema: SchemaModel,
    /** The action reading a related type: the editor's `read`, the Content API's `find`. */
    private readonly action: string,
  ) {}

  /** The rows of `type` the caller may read; null: every row. */
  readableOf(type: ContentTypeModel): Filter | null {
    if (!this.readable.has(type.uid)) this.readable.set(type.uid, rowFilter(this.caller, this.action, type));
    return this.readable.get(type.uid) ?? null;
  }

  /** May the caller link through `field` of the model at `place` (in a component: its owner's field)? */
  mayLink(place: Place, field: RelationField): boolean {
    const type = place.owner?.type ?? (place.model as ContentTypeModel);
    const name = place.owner?.field ?? field.name;
    const key = `${type.uid}\u0000${name}`;
    if (!this.links.has(key)) this.links.set(key, mayLinkThrough(this.caller, type, [name]));
    return this.links.get(key) === true;
  }

  /**
   * The rows of `target`, reached through `field` at `place`, that a filter or sort may see: all of
   * them (null) when it tests only their label (`label`) and the caller may link through the field.
   */
  private conditionOf(place: Place, field: RelationField, target: ContentTypeModel, label: boolean): Filter | null {
    return label && this.mayLink(place, field) ? null : this.readableOf(target);
  }

  /** `filter` at `place` with the conditions in every relation node; the same object when none applies. */
  filter(filter: Filter, place: Place): Filter {
    switch (filter.kind) {
      case 'and':
      case 'or': {
        const items = filter.items.map((item) => this.filter(item, place));
        return items.every((item, i) => item === filter.items[i]) ? filter : { kind: filter.kind, items };
      }
      case 'not': {
        const item = this.filter(filter.item, place);
        return item === filter.item ? filter : { kind: 'not', item };
      }
      case 'relation': {
        const inner = filter.filter && this.filter(filter.filter, { model: filter.target });
        const label = labelOnly(filter.filter, filter.target);
        const readable = this.conditionOf(place, filter.field, filter.target, label);
        return inner === filter.filter && !readable ? filter : { ...filter, filter: allOf(inner, readable) };
      }
      case 'component': {
        const owner = place.owner ?? { type: place.model as ContentTypeModel, field: filter.field.name };
        const inner = this.filter(filter.filter, { model: filter.model, owner });
        return inner === filter.filter ? filter : { ...filter, filter: inner };
      }
      case 'publishedVersion': {
        const inner = this.filter(filter.filter, place);
        return inner === filter.filter ? filter : { ...filter, filter: inner };
      }
      case 'compare':
      case 'documentState':
        return filter;
    }
  }

  /** A sort item over rows of `type` with the conditions of each step's target (SortItem.where). */
  sortItem(item: SortItem, type: ContentTypeModel): SortItem {
    let place: Place = { model: type };
    const where = item.via.map((field, i) => {
      const target = this.schema.contentTypes.get(field.target);
      // The parser resolved every step; a target gone from the schema reads nothing.
      if (!target) throw new Error(`Unknown relation target ${field.target}`);
      // A step before the last sorts by a further relation: more than the label.
      const label = i === item.via.length - 1 && isLabel(item.column.name, target);
      const readable = this.conditionOf(place, field, target, label);
      place = { model: target };
      return readable;
    });
    return where.every((w) => w === null) ? item : { ...item, where };
  }

  /** Populated relations' own filters and sorts, at every level. */
  selection(selection: NodeSelection): void {
    for (const item of selection.populate.values()) {
      if (item.kind === 'relation') {
        if (item.filter) item.filter = this.filter(item.filter, { model: item.target });
        item.sort = item.sort.map((s) => this.sortItem(s, item.target));
        this.selection(item.selection);
      } else if (item.kind === 'component') {
        for (const nested of item.components.values()) this.selection(nested);
      }
    }
  }
}

/**
 * Holds every relation path of `query` (its filter, its sort, its populated relations' filters and
 * sorts) to the caller's read conditions (`action`) of the types the path reaches, but for the link right.
 */
export function restrictRelations(query: ContentQuery, caller: Caller, schema: SchemaModel, action = 'read'): void {
  const rows = new RelatedRows(caller, schema, action);
  if (query.filter) query.filter = rows.filter(query.filter, { model: query.type });
  query.sort = query.sort.map((item) => rows.sortItem(item, query.type));
  rows.selection(query.selection);
}
