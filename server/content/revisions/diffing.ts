// Comparing two versions of a document field by field: pure functions over two revisions' data (the
// write-body shape snapshot.ts records) and the type's model as it is today. Text is diffed word by
// word with jsdiff; relations and media are put side by side (by documentId / file id: labels are
// added by comparing.ts, which knows who asks); components are compared field by field, repeatable
// ones and dynamic zones item by item (added and removed items — their items carry no id, so an
// edited item is the old one removed and the new one added). Unchanged fields are left out.
import { isDeepStrictEqual } from 'node:util';
import { diffArrays, diffWordsWithSpace, type ChangeObject } from 'diff';
import type { ComponentModel, ContentTypeModel, Field, SchemaModel } from '../../schema/model.js';

/** A revision's data (snapshot.ts's RevisionData, named here so the dashboard can share these types). */
type RevisionData = Record<string, unknown>;
type Model = ContentTypeModel | ComponentModel;

export type FieldChange = 'added' | 'removed' | 'changed';

/** A run of text both sides share, or that only the newer (`added`) or older (`removed`) side has. */
export interface TextPart {
  value: string;
  added?: true;
  removed?: true;
}

/** A related document, on one side; `added`/`removed` when the other side does not link it. */
export interface LinkRef {
  documentId: string;
  label?: string;
  added?: true;
  removed?: true;
}

/** A media file, on one side; `added`/`removed` when the other side does not hold it. */
export interface FileRef {
  id: number;
  name?: string;
  url?: string;
  mime?: string;
  added?: true;
  removed?: true;
}

/** An item of a repeatable component or a dynamic zone that only one side has, at its index there. */
export interface ItemChange {
  change: 'added' | 'removed';
  index: number;
  component: string;
  value: RevisionData;
  /** A dynamic-zone item whose component the zone no longer takes. */
  removedFromSchema?: true;
}

interface DiffBase {
  field: string;
  change: FieldChange;
}

export type FieldDiff =
  /** string, text, richtext (Markdown), email, uid: the values and their word diff. */
  | (DiffBase & { kind: 'text'; before: string | null; after: string | null; text: TextPart[] })
  /** blocks: the plain text of each side (a line per block) and its word diff. */
  | (DiffBase & { kind: 'blocks'; before: string; after: string; text: TextPart[] })
  /** Numbers, booleans, dates, enumerations, JSON: the two values. */
  | (DiffBase & { kind: 'value'; before: unknown; after: unknown })
  | (DiffBase & { kind: 'relation'; target: string; before: LinkRef[]; after: LinkRef[] })
  | (DiffBase & { kind: 'media'; before: FileRef[]; after: FileRef[] })
  /** A single component: its own fields compared. */
  | (DiffBase & { kind: 'component'; component: string; fields: FieldDiff[] })
  | (DiffBase & { kind: 'components'; component: string; items: ItemChange[] })
  | (DiffBase & { kind: 'dynamiczone'; items: ItemChange[] })
  /** An attribute the type no longer has: the two stored values, shown, never restored. */
  | (DiffBase & { kind: 'removedAttribute'; removedFromSchema: true; before: unknown; after: unknown });

/**
 * Past this many milliseconds jsdiff gives up on a text and the two sides are shown whole: a diff
 * of two very long, very different texts must not hold the request (jsdiff's own bound).
 */
const TEXT_DIFF_TIMEOUT_MS = 200;

const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'email', 'uid']);

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

function changeOf(before: unknown, after: unknown): FieldChange {
  if (isEmpty(before)) return 'added';
  if (isEmpty(after)) return 'removed';
  return 'changed';
}

function partOf(change: ChangeObject<string>): TextPart {
  return {
    value: change.value,
    ...(change.added ? { added: true } : {}),
    ...(change.removed ? { removed: true } : {}),
  };
}

/** The word diff of two texts: the parts, in order, that rebuild the older (not added) and newer (not removed). */
export function textDiff(before: string, after: string): TextPart[] {
  if (before === after) return before ? [{ value: before }] : [];
  if (!before) return [{ value: after, added: true }];
  if (!after) return [{ value: before, removed: true }];
  // Whitespace is a token of its own: the parts then rebuild both texts exactly (diffWords would give
  // a shared word the newer text's spacing).
  const changes = diffWordsWithSpace(before, after, { timeout: TEXT_DIFF_TIMEOUT_MS });
  if (!changes) {
    return [
      { value: before, removed: true },
      { value: after, added: true },
    ];
  }
  return changes.map(partOf);
}

type BlockNode = { type?: unknown; text?: unknown; children?: unknown; level?: unknown; format?: unknown };

function inlineText(nodes: unknown): string {
  if (!Array.isArray(nodes)) return '';
  return (nodes as BlockNode[])
    .map((node) => (typeof node.text === 'string' ? node.text : inlineText(node.children)))
    .join('');
}

function listLines(list: BlockNode, depth: number): string[] {
  const children = Array.isArray(list.children) ? (list.children as BlockNode[]) : [];
  const lines: string[] = [];
  children.forEach((item, index) => {
    if (item.type === 'list') lines.push(...listLines(item, depth + 1));
    else
      lines.push(
        `${'  '.repeat(depth)}${list.format === 'ordered' ? `${index + 1}.` : '-'} ${inlineText(item.children)}`,
      );
  });
  return lines;
}

/**
 * A blocks document as an editor reads it: one line per block, headings, quotes and list items
 * marked as in Markdown, an image by its alternative text or name. Inline formatting (bold, a
 * link's URL) is not text: a change to it alone shows as a changed field with equal text.
 */
export function blocksText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  const lines: string[] = [];
  for (const block of value as BlockNode[]) {
    if (typeof block !== 'object' || block === null) continue;
    if (block.type === 'heading') lines.push(`${'#'.repeat(Number(block.level) || 1)} ${inlineText(block.children)}`);
    else if (block.type === 'quote') lines.push(`> ${inlineText(block.children)}`);
    else if (block.type === 'list') lines.push(...listLines(block, 0));
    else if (block.type === 'image') {
      const image = (block as { image?: { alternativeText?: unknown; name?: unknown } }).image;
      const name = image?.alternativeText || image?.name;
      lines.push(`[image: ${typeof name === 'string' ? name : ''}]`);
    } else lines.push(inlineText(block.children));
  }
  return lines.join('\n');
}

/** One side of a link field as a list (a to-one link is a list of at most one). */
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : isEmpty(value) ? [] : [value]);

/** Both sides' items, each flagged when the other side does not have it. */
function sideBySide<T extends { added?: true; removed?: true }>(
  before: unknown[],
  after: unknown[],
  make: (value: unknown) => T,
): { before: T[]; after: T[] } {
  const has = (list: unknown[], value: unknown) => list.some((v) => String(v) === String(value));
  return {
    before: before.map((v) => ({ ...make(v), ...(has(after, v) ? {} : { removed: true as const }) })),
    after: after.map((v) => ({ ...make(v), ...(has(before, v) ? {} : { added: true as const }) })),
  };
}

/** The items only one side of a list of components has (jsdiff's array diff, items compared whole). */
function itemChanges(before: unknown[], after: unknown[], componentOf: (item: RevisionData) => string): ItemChange[] {
  const out: ItemChange[] = [];
  let [b, a] = [0, 0];
  for (const run of diffArrays(before, after, { comparator: isDeepStrictEqual })) {
    for (const item of run.value) {
      const data = (typeof item === 'object' && item !== null ? item : {}) as RevisionData;
      const { __component: _, ...value } = data;
      if (run.added) out.push({ change: 'added', index: a, component: componentOf(data), value });
      else if (run.removed) out.push({ change: 'removed', index: b, component: componentOf(data), value });
      if (!run.added) b++;
      if (!run.removed) a++;
    }
  }
  return out;
}

function scalarDiff(field: Field & { kind: 'scalar' }, before: unknown, after: unknown): FieldDiff {
  const base = { field: field.name, change: changeOf(before, after) };
  const type = field.attribute.type;
  if (type === 'blocks') {
    const [b, a] = [blocksText(before), blocksText(after)];
    return { ...base, kind: 'blocks', before: b, after: a, text: textDiff(b, a) };
  }
  if (TEXT_TYPES.has(type)) {
    const [b, a] = [before ?? null, after ?? null] as [string | null, string | null];
    return { ...base, kind: 'text', before: b, after: a, text: textDiff(String(b ?? ''), String(a ?? '')) };
  }
  return { ...base, kind: 'value', before: before ?? null, after: after ?? null };
}

function fieldDiff(schema: SchemaModel, field: Field, before: unknown, after: unknown): FieldDiff {
  const base = { field: field.name, change: changeOf(before, after) };
  switch (field.kind) {
    case 'scalar':
      return scalarDiff(field, before, after);
    case 'relation':
      return {
        ...base,
        kind: 'relation',
        target: field.target,
        ...sideBySide<LinkRef>(listOf(before), listOf(after), (v) => ({ documentId: String(v) })),
      };
    case 'media':
      return {
        ...base,
        kind: 'media',
        ...sideBySide<FileRef>(listOf(before), listOf(after), (v) => ({ id: Number(v) })),
      };
    case 'component': {
      if (field.repeatable) {
        const items = itemChanges(listOf(before), listOf(after), () => field.component);
        return { ...base, kind: 'components', component: field.component, items };
      }
      const model = schema.components.get(field.component);
      const fields = model ? diffData(schema, model, asData(before), asData(after)) : [];
      return { ...base, kind: 'component', component: field.component, fields };
    }
    case 'dynamiczone': {
      const items = itemChanges(listOf(before), listOf(after), (item) => String(item.__component)).map((item) =>
        field.components.includes(item.component) ? item : { ...item, removedFromSchema: true as const },
      );
      return { ...base, kind: 'dynamiczone', items };
    }
  }
}

const asData = (value: unknown): RevisionData =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RevisionData) : {};

/** Treats absent, null and (for lists) empty alike: a field the older side did not hold is not a change to []. */
function sameValue(before: unknown, after: unknown): boolean {
  return (isEmpty(before) && isEmpty(after)) || isDeepStrictEqual(before, after);
}

/**
 * The fields of `model` (a content type or a component) that differ between `before` and `after`,
 * in the model's order, then the attributes the model no longer has. Both are revision data.
 */
export function diffData(schema: SchemaModel, model: Model, before: RevisionData, after: RevisionData): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const field of model.fields.values()) {
    const [b, a] = [before[field.name], after[field.name]];
    if (sameValue(b, a)) continue;
    const diff = fieldDiff(schema, field, b, a);
    // A component whose fields differ only as absent against empty has nothing to show.
    if (diff.kind === 'component' && diff.change === 'changed' && !diff.fields.length) continue;
    out.push(diff);
  }
  const gone = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (name) => name !== '__component' && !model.fields.has(name),
  );
  for (const name of gone) {
    const [b, a] = [before[name] ?? null, after[name] ?? null];
    if (sameValue(b, a)) continue;
    out.push({
      field: name,
      change: changeOf(b, a),
      kind: 'removedAttribute',
      removedFromSchema: true,
      before: b,
      after: a,
    });
  }
  return out;
}
