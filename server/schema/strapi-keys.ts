// Which keys of a definition Folio acts on, and the list of those it does not (docs/schema.md,
// "From a Strapi project"). A Strapi schema.json carries keys for plugins Folio lacks (the content
// manager's, GraphQL's), custom fields, options of Strapi versions to come; the validator keeps
// such keys in the stored definition (export then gives them back), and `schema apply` names them
// so nobody believes they have an effect.
import type { SchemaFile } from './types.js';

type Json = Record<string, unknown>;

const CONTENT_TYPE_KEYS = new Set([
  'kind',
  'collectionName',
  'info',
  'options',
  'pluginOptions',
  'attributes',
  'layout',
]);
const CONTENT_TYPE_INFO = new Set(['singularName', 'pluralName', 'displayName', 'description']);
const CONTENT_TYPE_OPTIONS = new Set([
  'draftAndPublish',
  'indexes',
  'previewUrl',
  'revisions',
  'cacheControl',
  'owner',
]);
const COMPONENT_KEYS = new Set(['collectionName', 'info', 'attributes', 'layout', 'options']);
const COMPONENT_INFO = new Set(['displayName', 'icon', 'description']);

const COMMON = ['type', 'required', 'unique', 'private', 'configurable', 'index', 'default', 'pluginOptions'];
const LENGTH = ['minLength', 'maxLength', 'regex'];
/** Per attribute type, the keys besides COMMON that Folio reads. */
const ATTRIBUTE_KEYS: Record<string, readonly string[]> = {
  string: LENGTH,
  text: LENGTH,
  richtext: LENGTH,
  email: LENGTH,
  password: LENGTH,
  uid: [...LENGTH, 'targetField'],
  integer: ['min', 'max'],
  biginteger: ['min', 'max'],
  float: ['min', 'max'],
  decimal: ['min', 'max'],
  enumeration: ['enum'],
  blocks: [],
  boolean: [],
  date: [],
  time: [],
  datetime: [],
  json: [],
  media: ['multiple', 'allowedTypes'],
  relation: ['relation', 'target', 'inversedBy', 'mappedBy'],
  component: ['component', 'repeatable', 'min', 'max'],
  dynamiczone: ['components', 'min', 'max'],
};

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `base.key` for each own key of `value` not in `known`. */
function extraKeys(value: unknown, known: ReadonlySet<string>, base: string): string[] {
  if (!isJson(value)) return [];
  return Object.keys(value)
    .filter((key) => !known.has(key))
    .map((key) => `${base}.${key}`);
}

/**
 * pluginOptions: only i18n.localized means something to Folio. On an attribute, `localized: false`
 * (a value shared by every locale in Strapi) is listed too: Folio keeps every field per locale.
 */
function pluginOptionKeys(value: unknown, base: string, attribute: boolean): string[] {
  if (!isJson(value)) return [];
  const found = extraKeys(value, new Set(['i18n']), base);
  const i18n = value.i18n;
  found.push(...extraKeys(i18n, new Set(['localized']), `${base}.i18n`));
  if (attribute && isJson(i18n) && i18n.localized === false) found.push(`${base}.i18n.localized (false)`);
  return found;
}

function attributeKeys(attributes: unknown, base: string): string[] {
  if (!isJson(attributes)) return [];
  return Object.entries(attributes).flatMap(([name, raw]) => {
    const at = `${base}.attributes.${name}`;
    if (!isJson(raw)) return [];
    if (raw.type === 'customField') return [`${at} (custom field ${JSON.stringify(raw.customField ?? null)})`];
    const own =
      typeof raw.type === 'string' && Object.hasOwn(ATTRIBUTE_KEYS, raw.type) ? ATTRIBUTE_KEYS[raw.type] : null;
    // An unknown type is the validator's to refuse, with its own message.
    if (!own) return [];
    return [
      ...extraKeys(raw, new Set([...COMMON, ...own]), at),
      ...pluginOptionKeys(raw.pluginOptions, `${at}.pluginOptions`, true),
    ];
  });
}

/** The keys of a schema file that Folio keeps but does not act on, as paths (`contentTypes.article.options.x`). */
export function unsupportedKeys(file: SchemaFile): string[] {
  const found: string[] = [];
  for (const [uid, def] of Object.entries(file.contentTypes ?? {})) {
    if (!isJson(def)) continue;
    const base = `contentTypes.${uid}`;
    found.push(
      ...extraKeys(def, CONTENT_TYPE_KEYS, base),
      ...extraKeys(def.info, CONTENT_TYPE_INFO, `${base}.info`),
      ...extraKeys(def.options, CONTENT_TYPE_OPTIONS, `${base}.options`),
      ...pluginOptionKeys(def.pluginOptions, `${base}.pluginOptions`, false),
      ...attributeKeys(def.attributes, base),
    );
  }
  for (const [uid, def] of Object.entries(file.components ?? {})) {
    if (!isJson(def)) continue;
    const base = `components.${uid}`;
    found.push(
      ...extraKeys(def, COMPONENT_KEYS, base),
      ...extraKeys(def.info, COMPONENT_INFO, `${base}.info`),
      // Strapi writes `options: {}` in components; Folio has no component option.
      ...extraKeys(def.options, new Set(), `${base}.options`),
      ...attributeKeys(def.attributes, base),
    );
  }
  return found;
}
