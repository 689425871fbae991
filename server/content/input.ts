// Write bodies → a typed, validated input, checked against a content type (or component) model.
// Pure: no database. Everything that needs the database (related documents exist, uniqueness, uid
// generation) is checked by the document service. Every failing path is collected, so one 400 lists
// all of them (details.errors[], docs/content-api.md).
import type { BodyErrorItem } from '../errors.js';
import { ValidationError } from '../errors.js';
import type { SlugOptions } from '../slug.js';
import { blocksProblem } from './blocks.js';
import type {
  ComponentModel,
  ContentTypeModel,
  Field,
  RelationField,
  ScalarField,
  SchemaModel,
} from '../schema/model.js';
import { DOCUMENT_ID_FORMAT } from './document-id.js';
import { VARCHAR_LENGTH } from '../schema/physical.js';

export type Path = (string | number)[];

/** Where a related document goes in an ordered to-many relation. */
export type LinkPosition = { before: string } | { after: string } | { start: true } | { end: true };

export interface RelationItem {
  documentId: string;
  position?: LinkPosition;
}

/** A relation write. A plain value or array is `set`. */
export interface RelationInput {
  set?: RelationItem[];
  connect?: RelationItem[];
  disconnect?: string[];
}

export interface ComponentInput {
  component: string;
  values: ParsedInput;
}

export interface ParsedInput {
  /** Scalar attribute name → value ready for the database column (JSON stringified, Dates…). */
  scalars: Map<string, unknown>;
  relations: Map<string, RelationInput>;
  /** Media attribute name → file ids in order (empty = clear). */
  media: Map<string, number[]>;
  /** Component / dynamic-zone attribute name → instances in order (empty = clear). */
  components: Map<string, ComponentInput[]>;
}

export interface ParseOptions {
  /** On create (or when a new locale is created) every required attribute must be given. */
  requireAll: boolean;
}

/** Keys the body may never set (docs/content-api.md, "Writing"). */
export const SYSTEM_FIELDS = new Set([
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  'locale',
]);

export const UID_FORMAT = /^[A-Za-z0-9\-_.~]*$/;
/** How a uid attribute's value is derived from its target field: a slug keeping the punctuation UID_FORMAT allows. */
export const UID_SLUG: SlugOptions = { keep: '._~' };
const EMAIL_FORMAT = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_FORMAT = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,3}))?)?$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const BIGINT_FORMAT = /^-?\d{1,19}$/;
const DECIMAL_FORMAT = /^-?\d+(\.\d+)?$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * The most ids one relation field (set, connect and disconnect together) or media field takes in
 * one write, and all of them together in one write, components included (README, "Content
 * writes"). Every id becomes a bound value of a statement: these keep each statement far below
 * SQLite's 32,766 and MySQL's 65,535 placeholders, which a 2 MB body could otherwise exceed.
 */
export const MAX_IDS_PER_FIELD = 1000;
export const MAX_IDS_PER_WRITE = 10_000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Collector {
  readonly errors: BodyErrorItem[] = [];
  /** Relation and file ids the body names so far. */
  ids = 0;
  add(path: Path, message: string): void {
    this.errors.push({ path, message, name: 'ValidationError' });
  }

  /** Counts a field's ids; false (and an error) when the field names more than a write takes. */
  countIds(path: Path, count: number): boolean {
    if (count <= MAX_IDS_PER_FIELD) {
      this.ids += count;
      return true;
    }
    this.add(
      path,
      `takes at most ${MAX_IDS_PER_FIELD} ids in one write (got ${count}): split the change into several writes`,
    );
    return false;
  }
}

/** How many ids a relation value names, before any of them is parsed. */
function relationIdCount(value: unknown): number {
  const listLength = (v: unknown) => (v === undefined ? 0 : Array.isArray(v) ? v.length : 1);
  if (value === null) return 0;
  if (isPlainObject(value) && typeof value.documentId !== 'string') {
    return listLength(value.set) + listLength(value.connect) + listLength(value.disconnect);
  }
  return listLength(value);
}

/** A scalar value as given → the column value, or an error message. */
export function coerceScalar(field: ScalarField, value: unknown): { value: unknown } | { error: string } {
  const a = field.attribute;
  const stringOptions = (v: string): string | undefined => {
    if ('minLength' in a && a.minLength !== undefined && v.length < a.minLength)
      return `must be at least ${a.minLength} characters`;
    if ('maxLength' in a && a.maxLength !== undefined && v.length > a.maxLength)
      return `must be at most ${a.maxLength} characters`;
    if ('regex' in a && a.regex && !new RegExp(a.regex).test(v)) return `must match the format ${a.regex}`;
    // An encrypted string's column is text; its plain column (when encryption is turned off) is not.
    if (a.encrypted === true && (a.type === 'string' || a.type === 'email') && a.maxLength === undefined) {
      if (v.length > VARCHAR_LENGTH) return `must be at most ${VARCHAR_LENGTH} characters`;
    }
    return undefined;
  };
  const numberOptions = (n: number): string | undefined => {
    if ('min' in a && a.min !== undefined && n < a.min) return `must be greater than or equal to ${a.min}`;
    if ('max' in a && a.max !== undefined && n > a.max) return `must be less than or equal to ${a.max}`;
    return undefined;
  };
  switch (a.type) {
    case 'string':
    case 'text':
    case 'richtext':
    case 'password':
    case 'email':
    case 'uid': {
      if (typeof value !== 'string') return { error: 'must be a string' };
      if (a.type === 'email' && value !== '' && !EMAIL_FORMAT.test(value)) return { error: 'must be a valid email' };
      if (a.type === 'uid' && !UID_FORMAT.test(value)) return { error: 'must match the format /^[A-Za-z0-9-_.~]*$/' };
      const problem = stringOptions(value);
      return problem ? { error: problem } : { value };
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return { error: 'must be an integer' };
      if (value < INT32_MIN || value > INT32_MAX) return { error: 'is out of the integer range' };
      const problem = numberOptions(value);
      return problem ? { error: problem } : { value };
    }
    case 'biginteger': {
      const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
      if (typeof text !== 'string' || !BIGINT_FORMAT.test(text))
        return { error: 'must be an integer (a number or a string of digits)' };
      const big = BigInt(text);
      if (big < -(2n ** 63n) || big >= 2n ** 63n) return { error: 'is out of the biginteger range' };
      const problem = numberOptions(Number(text));
      return problem ? { error: problem } : { value: text };
    }
    case 'float':
    case 'decimal': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && DECIMAL_FORMAT.test(value)
            ? Number(value)
            : NaN;
      if (!Number.isFinite(n)) return { error: 'must be a number' };
      const problem = numberOptions(n);
      return problem ? { error: problem } : { value: n };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: 'must be a boolean' };
    case 'date': {
      const m = typeof value === 'string' ? DATE_FORMAT.exec(value) : null;
      if (!m) return { error: 'must be a date (YYYY-MM-DD)' };
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      if (
        d.getUTCFullYear() !== Number(m[1]) ||
        d.getUTCMonth() !== Number(m[2]) - 1 ||
        d.getUTCDate() !== Number(m[3])
      ) {
        return { error: 'must be a valid date' };
      }
      return { value };
    }
    case 'time': {
      const m = typeof value === 'string' ? TIME_FORMAT.exec(value) : null;
      if (!m) return { error: 'must be a time (HH:mm[:ss[.SSS]])' };
      return { value: `${m[1]}:${m[2]}:${m[3] ?? '00'}.${(m[4] ?? '').padEnd(3, '0')}` };
    }
    case 'datetime': {
      if (typeof value !== 'string' || !ISO_DATETIME.test(value))
        return { error: 'must be an ISO 8601 date-time with a time zone' };
      const d = new Date(value);
      if (Number.isNaN(d.getTime())) return { error: 'must be a valid date-time' };
      return { value: d };
    }
    case 'enumeration':
      return typeof value === 'string' && a.enum.includes(value)
        ? { value }
        : { error: `must be one of: ${a.enum.join(', ')}` };
    case 'json':
      return { value: JSON.stringify(value) };
    case 'blocks': {
      const problem = blocksProblem(value);
      return problem ? { error: problem } : { value: JSON.stringify(value) };
    }
  }
}

function parseRelationItem(value: unknown, path: Path, c: Collector): RelationItem | undefined {
  if (typeof value === 'string') {
    if (!DOCUMENT_ID_FORMAT.test(value)) {
      c.add(path, 'must be a documentId');
      return undefined;
    }
    return { documentId: value };
  }
  if (isPlainObject(value) && typeof value.documentId === 'string' && DOCUMENT_ID_FORMAT.test(value.documentId)) {
    const item: RelationItem = { documentId: value.documentId };
    for (const key of Object.keys(value)) {
      if (key !== 'documentId' && key !== 'position' && key !== 'locale' && key !== 'status')
        c.add([...path, key], `unknown key "${key}"`);
    }
    if (value.position !== undefined) {
      const p = value.position;
      if (isPlainObject(p) && Object.keys(p).length === 1 && typeof p.before === 'string')
        item.position = { before: p.before };
      else if (isPlainObject(p) && Object.keys(p).length === 1 && typeof p.after === 'string')
        item.position = { after: p.after };
      else if (isPlainObject(p) && Object.keys(p).length === 1 && p.start === true) item.position = { start: true };
      else if (isPlainObject(p) && Object.keys(p).length === 1 && p.end === true) item.position = { end: true };
      else c.add([...path, 'position'], 'must be { before: id } | { after: id } | { start: true } | { end: true }');
    }
    return item;
  }
  c.add(path, 'must be a documentId or { documentId, position }');
  return undefined;
}

function parseRelationList(value: unknown, path: Path, c: Collector): RelationItem[] {
  const list = Array.isArray(value) ? value : [value];
  const items: RelationItem[] = [];
  list.forEach((v, i) => {
    const item = parseRelationItem(v, Array.isArray(value) ? [...path, i] : path, c);
    if (item) items.push(item);
  });
  return items;
}

function parseRelation(field: RelationField, value: unknown, path: Path, c: Collector): RelationInput | undefined {
  if (!c.countIds(path, relationIdCount(value))) return undefined;
  let input: RelationInput;
  if (value === null) input = { set: [] };
  else if (typeof value === 'string' || Array.isArray(value)) input = { set: parseRelationList(value, path, c) };
  else if (isPlainObject(value) && typeof value.documentId === 'string')
    input = { set: parseRelationList(value, path, c) };
  else if (isPlainObject(value)) {
    input = {};
    for (const key of Object.keys(value)) {
      if (key !== 'connect' && key !== 'disconnect' && key !== 'set')
        c.add([...path, key], `unknown key "${key}" (use connect, disconnect or set)`);
    }
    if (value.set !== undefined) input.set = parseRelationList(value.set, [...path, 'set'], c);
    if (value.connect !== undefined) input.connect = parseRelationList(value.connect, [...path, 'connect'], c);
    if (value.disconnect !== undefined)
      input.disconnect = parseRelationList(value.disconnect, [...path, 'disconnect'], c).map((i) => i.documentId);
  } else {
    c.add(path, 'must be a documentId, an array of documentIds, or { connect, disconnect, set }');
    return undefined;
  }
  if (!field.toMany) {
    if ((input.set?.length ?? 0) > 1) c.add(path, 'is a to-one relation: give at most one documentId');
    if ((input.connect?.length ?? 0) > 1)
      c.add([...path, 'connect'], 'is a to-one relation: connect at most one documentId');
  }
  return input;
}

function parseMedia(multiple: boolean, value: unknown, path: Path, c: Collector): number[] | undefined {
  const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
  const toId = (v: unknown): unknown => (isPlainObject(v) && 'id' in v ? v.id : v);
  if (value === null) return [];
  if (Array.isArray(value)) {
    if (!multiple && value.length > 1) {
      c.add(path, 'takes a single file');
      return undefined;
    }
    if (!c.countIds(path, value.length)) return undefined;
    const ids: number[] = [];
    value.forEach((v, i) => {
      const id = toId(v);
      if (isId(id)) ids.push(id);
      else c.add([...path, i], 'must be a file id');
    });
    return ids;
  }
  const id = toId(value);
  if (isId(id)) return [id];
  c.add(path, multiple ? 'must be an array of file ids' : 'must be a file id');
  return undefined;
}

function parseComponentValue(
  schema: SchemaModel,
  uid: string,
  value: unknown,
  path: Path,
  c: Collector,
  options: ParseOptions,
  dynamic: boolean,
): ComponentInput | undefined {
  if (!isPlainObject(value)) {
    c.add(path, 'must be an object');
    return undefined;
  }
  const model = schema.components.get(uid);
  if (!model) {
    c.add(path, `unknown component "${uid}"`);
    return undefined;
  }
  const { __component: _ignored, id: _id, ...rest } = value;
  // A component is written whole: its required fields always apply.
  const values = parseInto(
    schema,
    model,
    rest,
    path,
    c,
    { ...options, requireAll: true },
    dynamic ? ['__component', 'id'] : ['id'],
  );
  return { component: uid, values };
}

function parseComponents(
  schema: SchemaModel,
  field: Extract<Field, { kind: 'component' | 'dynamiczone' }>,
  value: unknown,
  path: Path,
  c: Collector,
  options: ParseOptions,
): ComponentInput[] | undefined {
  if (value === null) return [];
  const out: ComponentInput[] = [];
  const limits = (n: number) => {
    const { min, max } = field.attribute;
    if (min !== undefined && n < min) c.add(path, `must have at least ${min} items`);
    if (max !== undefined && n > max) c.add(path, `must have at most ${max} items`);
  };
  if (field.kind === 'dynamiczone') {
    if (!Array.isArray(value)) {
      c.add(path, 'must be an array of components');
      return undefined;
    }
    limits(value.length);
    value.forEach((item, i) => {
      const kind = isPlainObject(item) ? item.__component : undefined;
      if (typeof kind !== 'string' || !field.components.includes(kind)) {
        c.add([...path, i, '__component'], `must be one of: ${field.components.join(', ')}`);
        return;
      }
      const parsed = parseComponentValue(schema, kind, item, [...path, i], c, options, true);
      if (parsed) out.push(parsed);
    });
    return out;
  }
  if (field.repeatable) {
    if (!Array.isArray(value)) {
      c.add(path, 'must be an array');
      return undefined;
    }
    limits(value.length);
    value.forEach((item, i) => {
      const parsed = parseComponentValue(schema, field.component, item, [...path, i], c, options, false);
      if (parsed) out.push(parsed);
    });
    return out;
  }
  const parsed = parseComponentValue(schema, field.component, value, path, c, options, false);
  return parsed ? [parsed] : undefined;
}

function parseInto(
  schema: SchemaModel,
  model: ContentTypeModel | ComponentModel,
  data: Record<string, unknown>,
  base: Path,
  c: Collector,
  options: ParseOptions,
  allowedExtra: string[] = [],
): ParsedInput {
  const out: ParsedInput = { scalars: new Map(), relations: new Map(), media: new Map(), components: new Map() };
  for (const [key, value] of Object.entries(data)) {
    const path = [...base, key];
    if (allowedExtra.includes(key)) continue;
    if (model.modelKind === 'contentType' && SYSTEM_FIELDS.has(key)) {
      c.add(path, `"${key}" is a system field and cannot be set`);
      continue;
    }
    const field = model.fields.get(key);
    if (!field) {
      c.add(path, `unknown attribute "${key}"`);
      continue;
    }
    if (value === undefined) continue;
    const required = field.attribute.required === true;
    switch (field.kind) {
      case 'scalar': {
        if (value === null || (value === '' && required)) {
          if (required) c.add(path, 'is required');
          else out.scalars.set(key, null);
          break;
        }
        const result = coerceScalar(field, value);
        if ('error' in result) c.add(path, result.error);
        else out.scalars.set(key, result.value);
        break;
      }
      case 'relation': {
        const parsed = parseRelation(field, value, path, c);
        if (parsed) out.relations.set(key, parsed);
        break;
      }
      case 'media': {
        const ids = parseMedia(field.multiple, value, path, c);
        if (ids) {
          if (required && ids.length === 0) c.add(path, 'is required');
          out.media.set(key, ids);
        }
        break;
      }
      case 'component':
      case 'dynamiczone': {
        const parsed = parseComponents(schema, field, value, path, c, options);
        if (parsed) {
          if (required && parsed.length === 0) c.add(path, 'is required');
          out.components.set(key, parsed);
        }
        break;
      }
    }
  }
  if (options.requireAll) {
    for (const [name, field] of model.fields) {
      if (field.attribute.required !== true || (Object.hasOwn(data, name) && data[name] !== undefined)) continue;
      // A uid with a target field is generated when omitted; a default fills a scalar.
      if (
        field.kind === 'scalar' &&
        (field.attribute.default !== undefined || (field.attribute.type === 'uid' && field.attribute.targetField))
      )
        continue;
      c.add([...base, name], 'is required');
    }
  }
  return out;
}

/**
 * Validates `data` (the body's `data`) against a content type. Throws one ValidationError listing
 * every failing path; returns the parsed input otherwise.
 */
export function parseInput(
  schema: SchemaModel,
  type: ContentTypeModel,
  data: unknown,
  options: ParseOptions,
): ParsedInput {
  const c = new Collector();
  if (!isPlainObject(data))
    throw ValidationError.fromErrors([{ path: [], message: '"data" must be an object', name: 'ValidationError' }]);
  const parsed = parseInto(schema, type, data, [], c, options);
  if (c.ids > MAX_IDS_PER_WRITE)
    c.add(
      [],
      `A write may name at most ${MAX_IDS_PER_WRITE} relation and file ids in all (got ${c.ids}): split ` +
        `the change into several writes`,
    );
  if (c.errors.length) throw ValidationError.fromErrors(c.errors);
  return parsed;
}

/** Every documentId a parsed input refers to, per relation target type (for one existence query each). */
export function referencedDocuments(
  model: ContentTypeModel | ComponentModel,
  input: ParsedInput,
  schema: SchemaModel,
  out = new Map<string, Map<string, Path>>(),
  base: Path = [],
): Map<string, Map<string, Path>> {
  for (const [name, rel] of input.relations) {
    const field = model.fields.get(name) as RelationField;
    const ids = out.get(field.target) ?? new Map<string, Path>();
    out.set(field.target, ids);
    for (const item of [...(rel.set ?? []), ...(rel.connect ?? [])]) {
      if (!ids.has(item.documentId)) ids.set(item.documentId, [...base, name]);
      const pos = item.position;
      if (pos && 'before' in pos && !ids.has(pos.before)) ids.set(pos.before, [...base, name]);
      if (pos && 'after' in pos && !ids.has(pos.after)) ids.set(pos.after, [...base, name]);
    }
  }
  for (const [name, instances] of input.components) {
    instances.forEach((instance, i) => {
      const cm = schema.components.get(instance.component) as ComponentModel;
      referencedDocuments(cm, instance.values, schema, out, [...base, name, i]);
    });
  }
  return out;
}
