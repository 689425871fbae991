// The resolved schema model: what the document engine, the query compiler, the access module and
// the admin read. Built from a *validated* SchemaDocument (validate first: buildModel trusts it).
import type {
  Attribute,
  ComponentAttribute,
  ComponentDefinition,
  ContentTypeDefinition,
  DynamicZoneAttribute,
  MediaAttribute,
  RelationAttribute,
  ScalarAttribute,
  SchemaDocument,
} from './types.js';
import { attributeColumn, componentLinkTable, componentTable, contentTypeTable, relationLinkTable } from './naming.js';

export interface ScalarField {
  kind: 'scalar';
  name: string;
  column: string;
  attribute: ScalarAttribute;
  /**
   * A to-one relation to the site members (MEMBER_TARGET), held as the member's id in a column of the
   * type's own table: the owner's conditions compile to one comparison, and members (not content
   * entries) need no link table. The owner is set by the server on create, never from a body; the
   * others are written as ids (content/operations/member-relations.ts).
   */
  member?: true;
}

export interface RelationField {
  kind: 'relation';
  name: string;
  attribute: RelationAttribute;
  /** The target content type's uid (singularName). */
  target: string;
  /** Whether a read gives an array (oneToMany, manyToMany from this side). */
  toMany: boolean;
  /** True on the declaring side; false on a `mappedBy` side, which reads the owner's links reversed. */
  owner: boolean;
  /** The link table: the owner's `<table>_<attr>_lnk` (for the inverse side too). */
  linkTable: string;
  /** The owning side: its content type uid and attribute name (itself when owner). */
  ownerType: string;
  ownerField: string;
  /** The other side's attribute name, when the relation is bidirectional. */
  inverseField?: string;
}

export interface MediaField {
  kind: 'media';
  name: string;
  attribute: MediaAttribute;
  multiple: boolean;
}

export interface ComponentField {
  kind: 'component';
  name: string;
  attribute: ComponentAttribute;
  component: string;
  repeatable: boolean;
  /** The owner table's `<table>_cmps`. */
  linkTable: string;
}

export interface DynamicZoneField {
  kind: 'dynamiczone';
  name: string;
  attribute: DynamicZoneAttribute;
  components: string[];
  linkTable: string;
}

export type Field = ScalarField | RelationField | MediaField | ComponentField | DynamicZoneField;

interface ModelBase {
  table: string;
  fields: Map<string, Field>;
  /** Fields stored as columns of `table`, in definition order. */
  scalars: ScalarField[];
}

export interface ContentTypeModel extends ModelBase {
  modelKind: 'contentType';
  /** The singularName: how relations, permissions and the CLI name this type. */
  uid: string;
  kind: 'collectionType' | 'singleType';
  singularName: string;
  pluralName: string;
  displayName: string;
  draftAndPublish: boolean;
  localized: boolean;
  /** The owner attribute (`options.owner`, a relation to MEMBER_TARGET), when the type has one. */
  owner?: ScalarField;
  definition: ContentTypeDefinition;
}

export interface ComponentModel extends ModelBase {
  modelKind: 'component';
  /** `<category>.<name>` */
  uid: string;
  displayName: string;
  definition: ComponentDefinition;
}

export type Model = ContentTypeModel | ComponentModel;

export interface SchemaModel {
  contentTypes: Map<string, ContentTypeModel>;
  /** Route segment → type: pluralName for collection types, singularName for single types. */
  byRoute: Map<string, ContentTypeModel>;
  components: Map<string, ComponentModel>;
  document: SchemaDocument;
}

/**
 * The site members as a relation target: Folio's name, and Strapi's (`plugin::users-permissions.user`),
 * which names the same target so a Strapi schema file loads unchanged. `::` keeps it apart from
 * every content type's singularName.
 */
export const MEMBER_TARGET = 'folio::member';
const STRAPI_MEMBER_TARGET = 'plugin::users-permissions.user';

/** Whether a relation's target is the site members (either name). */
export function isMemberTarget(target: string): boolean {
  return target === MEMBER_TARGET || target === STRAPI_MEMBER_TARGET;
}

/** Strapi's `api::article.article` names the type `article`. */
export function normaliseTarget(target: string): string {
  if (target === STRAPI_MEMBER_TARGET) return MEMBER_TARGET;
  const match = /^api::([^.]+)\.([^.]+)$/.exec(target);
  return match ? match[2] : target;
}

function resolveFields(
  ownerUid: string,
  table: string,
  attributes: Record<string, Attribute>,
  tablesByType: Map<string, string>,
  definitions: Record<string, ContentTypeDefinition>,
): { fields: Map<string, Field>; scalars: ScalarField[] } {
  const fields = new Map<string, Field>();
  const scalars: ScalarField[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    switch (attribute.type) {
      case 'relation': {
        if (isMemberTarget(attribute.target)) {
          // Validation allows member relations to-one and one-way only: a column, no link table.
          const field: ScalarField = {
            kind: 'scalar',
            name,
            column: attributeColumn(name),
            attribute: { type: 'integer', required: attribute.required },
            member: true,
          };
          fields.set(name, field);
          scalars.push(field);
          break;
        }
        const target = normaliseTarget(attribute.target);
        const owner = !attribute.mappedBy;
        const toMany = attribute.relation === 'oneToMany' || attribute.relation === 'manyToMany';
        const ownerType = owner ? ownerUid : target;
        const ownerField = owner ? name : (attribute.mappedBy as string);
        const ownerTable = owner ? table : (tablesByType.get(target) as string);
        // Components own their relations too; their "type" for link purposes is their table.
        const inverseField = owner ? attribute.inversedBy : attribute.mappedBy;
        fields.set(name, {
          kind: 'relation',
          name,
          attribute,
          target,
          toMany,
          owner,
          ownerType,
          ownerField,
          inverseField,
          linkTable: relationLinkTable(
            ownerTable ?? contentTypeTable(definitions[target]?.info.pluralName ?? target),
            ownerField,
          ),
        });
        break;
      }
      case 'media':
        fields.set(name, { kind: 'media', name, attribute, multiple: attribute.multiple === true });
        break;
      case 'component':
        fields.set(name, {
          kind: 'component',
          name,
          attribute,
          component: attribute.component,
          repeatable: attribute.repeatable === true,
          linkTable: componentLinkTable(table),
        });
        break;
      case 'dynamiczone':
        fields.set(name, {
          kind: 'dynamiczone',
          name,
          attribute,
          components: attribute.components,
          linkTable: componentLinkTable(table),
        });
        break;
      default: {
        const field: ScalarField = { kind: 'scalar', name, column: attributeColumn(name), attribute };
        fields.set(name, field);
        scalars.push(field);
      }
    }
  }
  return { fields, scalars };
}

function ownerField(fields: Map<string, Field>, definition: ContentTypeDefinition): ScalarField | undefined {
  const name = definition.options?.owner;
  const field = typeof name === 'string' ? fields.get(name) : undefined;
  return field?.kind === 'scalar' && field.member ? field : undefined;
}

export function buildModel(document: SchemaDocument): SchemaModel {
  const tablesByType = new Map<string, string>();
  for (const [uid, def] of Object.entries(document.contentTypes)) {
    tablesByType.set(uid, contentTypeTable(def.info.pluralName, def.collectionName));
  }

  const contentTypes = new Map<string, ContentTypeModel>();
  const byRoute = new Map<string, ContentTypeModel>();
  for (const [uid, definition] of Object.entries(document.contentTypes)) {
    const table = tablesByType.get(uid) as string;
    const { fields, scalars } = resolveFields(uid, table, definition.attributes, tablesByType, document.contentTypes);
    const model: ContentTypeModel = {
      modelKind: 'contentType',
      uid,
      kind: definition.kind,
      singularName: definition.info.singularName,
      pluralName: definition.info.pluralName,
      displayName: definition.info.displayName,
      // Strapi's defaults: draft & publish on unless switched off; not localized.
      draftAndPublish: definition.options?.draftAndPublish !== false,
      localized: definition.pluginOptions?.i18n?.localized === true,
      owner: ownerField(fields, definition),
      table,
      fields,
      scalars,
      definition,
    };
    contentTypes.set(uid, model);
    byRoute.set(definition.kind === 'singleType' ? definition.info.singularName : definition.info.pluralName, model);
  }

  const components = new Map<string, ComponentModel>();
  for (const [uid, definition] of Object.entries(document.components)) {
    const table = componentTable(uid, definition.collectionName);
    const { fields, scalars } = resolveFields(uid, table, definition.attributes, tablesByType, document.contentTypes);
    components.set(uid, {
      modelKind: 'component',
      uid,
      displayName: definition.info.displayName,
      table,
      fields,
      scalars,
      definition,
    });
  }

  return { contentTypes, byRoute, components, document };
}

/** Where the engine gets the schema in force (implemented by the schema registry). */
export interface SchemaSource {
  /**
   * The current model; picks up a schema applied by another process at the next call, or, with
   * `maxAgeMs`, at the first call more than that long after the version was last checked.
   */
  current(maxAgeMs?: number): Promise<SchemaModel>;
}
