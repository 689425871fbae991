// The field dialog's state ↔ a schema attribute. Inputs hold text (numbers as typed, enumeration
// values one per line) so that a half-typed value never turns into a wrong one; `toAttribute`
// parses them and names what is wrong. Options the dialog does not show (pluginOptions,
// configurable…) are kept from the attribute being edited.
import {
  camel,
  pluralize,
  type Attribute,
  type AttributeType,
  type MediaKind,
  type Owner,
  type RelationKind,
  type SchemaDocument,
} from './model';

export interface FieldForm {
  name: string;
  type: AttributeType;
  required: boolean;
  unique: boolean;
  private: boolean;
  index: boolean;
  /** Stored encrypted (ENCRYPTABLE_TYPES only; never unique or indexed). */
  encrypted: boolean;
  minLength: string;
  maxLength: string;
  min: string;
  max: string;
  regex: string;
  /** The default as typed (strings, numbers, dates); booleans use `defaultBoolean`. */
  defaultValue: string;
  defaultBoolean: '' | 'true' | 'false';
  enumValues: string;
  targetField: string;
  multiple: boolean;
  allowedTypes: MediaKind[];
  relation: RelationKind;
  target: string;
  inverse: string;
  component: string;
  repeatable: boolean;
  components: string[];
}

export const STRING_TYPES: AttributeType[] = ['string', 'text', 'richtext', 'email', 'password', 'uid'];
export const NUMBER_TYPES: AttributeType[] = ['integer', 'biginteger', 'decimal', 'float'];
/** Scalars whose column can be unique or indexed (not text, JSON or passwords: README of server/schema). */
export const INDEXABLE_TYPES: AttributeType[] = [
  'string',
  'email',
  'uid',
  'integer',
  'biginteger',
  'decimal',
  'float',
  'date',
  'time',
  'datetime',
  'enumeration',
];
/** Types whose values may be stored encrypted (docs/encryption.md). */
export const ENCRYPTABLE_TYPES: AttributeType[] = ['string', 'text', 'richtext', 'email', 'json'];
export const DEFAULTABLE_TYPES: AttributeType[] = [
  'string',
  'text',
  'richtext',
  'email',
  'uid',
  'integer',
  'biginteger',
  'decimal',
  'float',
  'boolean',
  'date',
  'time',
  'datetime',
  'enumeration',
];
export const MEDIA_KINDS: { kind: MediaKind; label: string }[] = [
  { kind: 'images', label: 'folio.builder.media_kinds.images' },
  { kind: 'videos', label: 'folio.builder.media_kinds.videos' },
  { kind: 'audios', label: 'folio.builder.media_kinds.audios' },
  { kind: 'files', label: 'folio.builder.media_kinds.files' },
];
export const RELATION_KINDS: RelationKind[] = ['oneToOne', 'oneToMany', 'manyToOne', 'manyToMany'];

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function emptyForm(type: AttributeType = 'string'): FieldForm {
  return {
    name: '',
    type,
    required: false,
    unique: false,
    private: false,
    index: false,
    encrypted: false,
    minLength: '',
    maxLength: '',
    min: '',
    max: '',
    regex: '',
    defaultValue: '',
    defaultBoolean: '',
    enumValues: '',
    targetField: '',
    multiple: false,
    allowedTypes: [],
    relation: 'manyToOne',
    target: '',
    inverse: '',
    component: '',
    repeatable: false,
    components: [],
  };
}

/** A form value as text: strings, numbers and booleans as written, anything else as JSON. */
const text = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
};

export function formOf(name: string, attr: Attribute): FieldForm {
  const form = emptyForm(attr.type);
  const a = attr as unknown as Partial<Record<string, unknown>>;
  form.name = name;
  form.required = a.required === true;
  form.unique = a.unique === true;
  form.private = a.private === true;
  form.index = a.index === true;
  form.encrypted = a.encrypted === true;
  form.minLength = text(a.minLength);
  form.maxLength = text(a.maxLength);
  form.min = text(a.min);
  form.max = text(a.max);
  form.regex = text(a.regex);
  if (attr.type === 'boolean') form.defaultBoolean = a.default === true ? 'true' : a.default === false ? 'false' : '';
  else form.defaultValue = text(a.default);
  if (attr.type === 'enumeration') form.enumValues = attr.enum.join('\n');
  if (attr.type === 'uid') form.targetField = attr.targetField ?? '';
  if (attr.type === 'media') {
    form.multiple = attr.multiple === true;
    form.allowedTypes = attr.allowedTypes ?? [];
  }
  if (attr.type === 'relation') {
    form.relation = attr.relation;
    form.target = attr.target;
    form.inverse = attr.inversedBy ?? attr.mappedBy ?? '';
  }
  if (attr.type === 'component') {
    form.component = attr.component;
    form.repeatable = attr.repeatable === true;
  }
  if (attr.type === 'dynamiczone') form.components = [...attr.components];
  return form;
}

/** A suggestion for the other side of a relation: "articles" on Category for Article.category. */
export function suggestInverse(owner: Owner, relation: RelationKind): string {
  const many = relation === 'manyToOne' || relation === 'manyToMany';
  return camel(many ? pluralize(owner.uid) : owner.uid);
}

export interface FormErrors {
  [key: string]: string;
}

function parseNumber(errors: FormErrors, key: string, value: string, integer: boolean): number | undefined {
  if (value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && (!Number.isInteger(n) || n < 0))) {
    errors[key] = integer ? 'folio.builder.errors.whole_number' : 'folio.builder.errors.number';
    return undefined;
  }
  return n;
}

/**
 * The attribute the form describes, on top of `base` (the attribute being edited), or the errors
 * to show beside the inputs. `taken` are the other field names of the owner. Errors are keys of
 * i18n.ts (folio.builder.errors), translated with the related type as `target` and the name as `name`.
 */
export function toAttribute(
  form: FieldForm,
  context: { owner: Owner; doc: SchemaDocument; taken: string[]; base?: Attribute },
): { attribute: Attribute; errors: null } | { attribute: null; errors: FormErrors } {
  const errors: FormErrors = {};
  const { owner, doc } = context;
  const name = form.name.trim();
  if (!NAME.test(name)) errors.name = 'folio.builder.errors.name_format';
  else if (context.taken.includes(name)) errors.name = 'folio.builder.errors.name_taken';

  // Start from the edited attribute without the options this dialog manages.
  const managed = [
    'type',
    'required',
    'unique',
    'private',
    'index',
    'encrypted',
    'minLength',
    'maxLength',
    'min',
    'max',
    'regex',
    'default',
    'enum',
    'targetField',
    'multiple',
    'allowedTypes',
    'relation',
    'target',
    'inversedBy',
    'mappedBy',
    'component',
    'repeatable',
    'components',
  ];
  const kept = Object.fromEntries(
    Object.entries((context.base ?? {}) as Record<string, unknown>).filter(([k]) => !managed.includes(k)),
  );
  const out: Record<string, unknown> = { type: form.type, ...kept };
  const type = form.type;
  if (form.required) out.required = true;
  if (form.private) out.private = true;
  const encrypted = form.encrypted && ENCRYPTABLE_TYPES.includes(type);
  if (encrypted) out.encrypted = true;
  // The database sees only ciphertext: an encrypted field is never unique or indexed.
  if (INDEXABLE_TYPES.includes(type) && !encrypted) {
    if (form.unique) out.unique = true;
    if (form.index) out.index = true;
  }
  if (STRING_TYPES.includes(type)) {
    const minLength = parseNumber(errors, 'minLength', form.minLength, true);
    const maxLength = parseNumber(errors, 'maxLength', form.maxLength, true);
    if (minLength !== undefined) out.minLength = minLength;
    if (maxLength !== undefined) out.maxLength = maxLength;
    if (minLength !== undefined && maxLength !== undefined && minLength > maxLength)
      errors.minLength = 'folio.builder.errors.min_length_above_max';
    if (form.regex.trim()) {
      try {
        new RegExp(form.regex);
        out.regex = form.regex;
      } catch {
        errors.regex = 'folio.builder.errors.regex';
      }
    }
  }
  if (NUMBER_TYPES.includes(type)) {
    const min = parseNumber(errors, 'min', form.min, false);
    const max = parseNumber(errors, 'max', form.max, false);
    if (min !== undefined) out.min = min;
    if (max !== undefined) out.max = max;
    if (min !== undefined && max !== undefined && min > max) errors.min = 'folio.builder.errors.min_above_max';
  }
  if ((type === 'component' && form.repeatable) || type === 'dynamiczone') {
    const min = parseNumber(errors, 'min', form.min, true);
    const max = parseNumber(errors, 'max', form.max, true);
    if (min !== undefined) out.min = min;
    if (max !== undefined) out.max = max;
    if (min !== undefined && max !== undefined && min > max) errors.min = 'folio.builder.errors.min_above_max';
  }
  if (DEFAULTABLE_TYPES.includes(type)) {
    if (type === 'boolean') {
      if (form.defaultBoolean) out.default = form.defaultBoolean === 'true';
    } else if (form.defaultValue !== '') {
      if (NUMBER_TYPES.includes(type)) {
        // Big integers beyond 2^53 stay strings, as the server stores them.
        if (
          type === 'biginteger' &&
          /^-?\d+$/.test(form.defaultValue.trim()) &&
          !Number.isSafeInteger(Number(form.defaultValue))
        )
          out.default = form.defaultValue.trim();
        else {
          const n = parseNumber(errors, 'defaultValue', form.defaultValue, false);
          if (n !== undefined) out.default = n;
        }
      } else out.default = form.defaultValue;
    }
  }
  if (type === 'enumeration') {
    const values = form.enumValues
      .split('\n')
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length === 0) errors.enumValues = 'folio.builder.errors.enum_empty';
    else if (new Set(values).size !== values.length) errors.enumValues = 'folio.builder.errors.enum_twice';
    out.enum = values;
    if (out.default !== undefined && !values.includes(text(out.default)))
      errors.defaultValue = 'folio.builder.errors.default_not_listed';
  }
  if (type === 'uid' && form.targetField) out.targetField = form.targetField;
  if (type === 'media') {
    out.multiple = form.multiple;
    if (form.allowedTypes.length) out.allowedTypes = form.allowedTypes;
  }
  if (type === 'relation') {
    if (!form.target || !doc.contentTypes[form.target]) errors.target = 'folio.builder.errors.target';
    out.relation = form.relation;
    out.target = form.target;
    const inverse = form.inverse.trim();
    if (inverse) {
      const target = doc.contentTypes[form.target];
      const prior =
        context.base?.type === 'relation' && context.base.target === form.target
          ? (context.base.inversedBy ?? context.base.mappedBy)
          : undefined;
      if (owner.kind === 'component') errors.inverse = 'folio.builder.errors.component_one_way';
      else if (!NAME.test(inverse)) errors.inverse = 'folio.builder.errors.name_format';
      else if (form.target === owner.uid && inverse === name) errors.inverse = 'folio.builder.errors.inverse_same';
      else if (target && inverse !== prior && target.attributes[inverse])
        errors.inverse = 'folio.builder.errors.inverse_taken';
    }
  }
  if (type === 'component') {
    if (!form.component || !doc.components[form.component]) errors.component = 'folio.builder.errors.component';
    else if (owner.kind === 'component' && form.component === owner.uid)
      errors.component = 'folio.builder.errors.component_self';
    out.component = form.component;
    out.repeatable = form.repeatable;
  }
  if (type === 'dynamiczone') {
    if (owner.kind === 'component') errors.components = 'folio.builder.errors.component_dynamic_zone';
    if (form.components.length === 0) errors.components = 'folio.builder.errors.components';
    out.components = form.components;
  }
  if (Object.keys(errors).length > 0) return { attribute: null, errors };
  return { attribute: out as unknown as Attribute, errors: null };
}
