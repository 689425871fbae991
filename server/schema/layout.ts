// A type's view layout (types.ts `layout`): the rules it must follow, the complete layout an editor
// is shown, and the edits that keep it valid when fields are renamed or removed. Pure functions
// with type-only imports: the validator, the Admin API and the dashboard's builder share them.
import type {
  Attribute,
  ComponentLayout,
  ContentTypeLayout,
  LayoutSection,
  LayoutSize,
  RelationKind,
} from './types.js';

/** Scalar types short enough for a list column (the dashboard's lists show and sort by these too). */
export const LIST_SCALAR_TYPES: ReadonlySet<string> = new Set([
  'string',
  'email',
  'uid',
  'integer',
  'biginteger',
  'float',
  'decimal',
  'boolean',
  'date',
  'time',
  'datetime',
  'enumeration',
]);
const TO_ONE: ReadonlySet<RelationKind> = new Set<RelationKind>(['oneToOne', 'manyToOne']);

/**
 * May a list show this attribute as a column? Short scalars, media (a thumbnail) and to-one
 * relations (the target's label); never a private field or a password.
 */
export function isListDisplayable(attribute: Attribute): boolean {
  if (attribute.private === true) return false;
  if (attribute.type === 'media') return true;
  if (attribute.type === 'relation') return TO_ONE.has(attribute.relation);
  return LIST_SCALAR_TYPES.has(attribute.type);
}

export interface LayoutProblem {
  /** Relative to the definition: `['layout', 'edit', 0, 'fields', 1, 'name']`. */
  path: (string | number)[];
  message: string;
}

interface Laid {
  attributes: Record<string, Attribute>;
  layout?: ContentTypeLayout | ComponentLayout;
}

/**
 * What is wrong with a definition's layout, its shape already checked (validate.ts): every name is
 * an attribute of the type (an own property: `constructor` names nothing), placed once, and list
 * columns are attributes a list can show.
 */
export function layoutProblems(def: Laid): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const placed = new Set<string>();
  (def.layout?.edit ?? []).forEach((section, s) => {
    section.fields.forEach((field, f) => {
      const path = ['layout', 'edit', s, 'fields', f, 'name'];
      if (!Object.hasOwn(def.attributes, field.name))
        problems.push({ path, message: `${JSON.stringify(field.name)} is not an attribute of this type` });
      else if (placed.has(field.name)) problems.push({ path, message: `${field.name} is placed twice` });
      placed.add(field.name);
    });
  });
  const listed = new Set<string>();
  const list = def.layout && 'list' in def.layout ? (def.layout.list ?? []) : [];
  list.forEach((name, i) => {
    const path = ['layout', 'list', i];
    const attribute = Object.hasOwn(def.attributes, name) ? def.attributes[name] : undefined;
    if (!attribute) problems.push({ path, message: `${JSON.stringify(name)} is not an attribute of this type` });
    else if (!isListDisplayable(attribute))
      problems.push({
        path,
        message:
          `${name} cannot be a list column (lists show short text, numbers, dates, booleans, enumerations, ` +
          `media and to-one relations, never private fields)`,
      });
    else if (listed.has(name)) problems.push({ path, message: `${name} is listed twice` });
    listed.add(name);
  });
  return problems;
}

export interface EditSection {
  title?: string;
  fields: Array<{ name: string; size: LayoutSize }>;
}

export interface EditorLayout {
  edit: EditSection[];
  list: string[];
}

/**
 * The edit form an editor sees: the placed fields they may see, in their sections (a section left
 * with none is dropped), then every other visible attribute in schema order — in the last section
 * when it has no title, else in a section of their own — so that a field added later is never lost.
 */
export function editSections(def: Laid, visible: (name: string) => boolean = () => true): EditSection[] {
  const placed = new Set<string>();
  const sections: EditSection[] = [];
  for (const section of def.layout?.edit ?? []) {
    const fields = section.fields
      .filter((f) => Object.hasOwn(def.attributes, f.name) && visible(f.name) && !placed.has(f.name))
      .map((f) => ({ name: f.name, size: f.size ?? 'full' }));
    for (const f of fields) placed.add(f.name);
    if (fields.length) sections.push(section.title ? { title: section.title, fields } : { fields });
  }
  const rest = Object.keys(def.attributes)
    .filter((name) => visible(name) && !placed.has(name))
    .map((name) => ({ name, size: 'full' as const }));
  if (!rest.length) return sections;
  const last = sections.at(-1);
  if (last && last.title === undefined) last.fields.push(...rest);
  else sections.push({ fields: rest });
  return sections;
}

/** At most this many list columns when the layout names none. */
const DEFAULT_LIST_COLUMNS = 5;

/**
 * The list columns: the layout's (those the editor may see), or by default the first single media
 * (a thumbnail), the main field, then the other short values and to-one relations in schema order,
 * at most five. The dashboard's lists show these until an editor picks columns of their own.
 */
export function listColumns(
  def: Laid,
  mainField: string | null,
  listable: (name: string) => boolean = () => true,
): string[] {
  const shown = (name: string) =>
    Object.hasOwn(def.attributes, name) && isListDisplayable(def.attributes[name]) && listable(name);
  const chosen = def.layout && 'list' in def.layout ? def.layout.list : undefined;
  if (chosen) return chosen.filter(shown);
  const names = Object.keys(def.attributes).filter(shown);
  const media = names.find((name) => def.attributes[name].type === 'media' && !def.attributes[name].multiple);
  const main = names.find((name) => name === mainField);
  const others = names.filter((name) => name !== main && !['media', 'time'].includes(def.attributes[name].type));
  return [media, main, ...others].filter((name) => name !== undefined).slice(0, DEFAULT_LIST_COLUMNS);
}

/** A layout with a field renamed (`to`) or removed (`null`), so it stays valid after the change. */
export function renameInLayout<L extends ContentTypeLayout | ComponentLayout>(
  layout: L | undefined,
  from: string,
  to: string | null,
): L | undefined {
  if (!layout) return layout;
  const next = { ...layout };
  if (layout.edit) {
    next.edit = layout.edit
      .map((section): LayoutSection => ({
        ...section,
        fields: section.fields.flatMap((f) => (f.name !== from ? [f] : to === null ? [] : [{ ...f, name: to }])),
      }))
      .filter((section) => section.fields.length > 0);
  }
  if ('list' in layout && layout.list) {
    const list = layout.list.flatMap((n) => (n !== from ? [n] : to === null ? [] : [to]));
    (next as ContentTypeLayout).list = list;
  }
  return next;
}

/**
 * The definition's layout without the names that no longer fit: attributes that are gone, list
 * columns whose attribute a list can no longer show (its type changed). Empty sections go too.
 */
export function pruneLayout<L extends ContentTypeLayout | ComponentLayout>(def: {
  attributes: Record<string, Attribute>;
  layout?: L;
}): L | undefined {
  let layout = def.layout;
  if (!layout) return layout;
  const names = [
    ...(layout.edit ?? []).flatMap((s) => s.fields.map((f) => f.name)),
    ...('list' in layout ? (layout.list ?? []) : []),
  ];
  for (const name of new Set(names)) {
    if (!Object.hasOwn(def.attributes, name)) layout = renameInLayout(layout, name, null);
  }
  if (layout && 'list' in layout && layout.list) {
    layout = { ...layout, list: layout.list.filter((n) => isListDisplayable(def.attributes[n])) };
  }
  return layout;
}
