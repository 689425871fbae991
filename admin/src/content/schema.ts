// The content types the signed-in admin may read, as GET /admin-api/content/content-types describes
// them: the content manager's screens are generated from this (one Resource per collection type,
// one form per single type, an input per attribute).
import type { AuthProvider } from 'react-admin';
import type { EditorLayout, EditSection } from '../../../server/schema/layout.js';
import { api } from '../http';

export type { EditorLayout, EditSection } from '../../../server/schema/layout.js';

export interface Attribute {
  type: string;
  required?: boolean;
  unique?: boolean;
  private?: boolean;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  regex?: string;
  default?: unknown;
  enum?: string[];
  targetField?: string;
  multiple?: boolean;
  allowedTypes?: string[];
  relation?: 'oneToOne' | 'oneToMany' | 'manyToOne' | 'manyToMany';
  target?: string;
  mappedBy?: string;
  inversedBy?: string;
  component?: string;
  repeatable?: boolean;
  components?: string[];
  /** Strapi's per-attribute i18n option: `localized: false` keeps one value across locales. */
  pluginOptions?: { i18n?: { localized?: boolean } };
}

export type ContentAction = 'read' | 'create' | 'update' | 'delete' | 'publish';

export interface ContentTypeInfo {
  uid: string;
  kind: 'collectionType' | 'singleType';
  singularName: string;
  pluralName: string;
  displayName: string;
  draftAndPublish: boolean;
  localized: boolean;
  /** The type has a preview URL: the edit screen offers Preview. */
  preview?: boolean;
  /** Versions of its entries are recorded: the edit screen offers History. */
  history?: boolean;
  mainField: string | null;
  /** The owner attribute (a relation to the members the server sets), when the type has one. */
  owner?: string | null;
  actions: ContentAction[];
  /** Localized types: the locales in use, the default first. */
  locales?: string[];
  attributes: Record<string, Attribute>;
  /**
   * The view layout (Content-Type Builder › Configure the view), complete: every attribute above
   * placed once in the form's sections, and the columns lists show by default.
   */
  layout: EditorLayout;
}

export interface ComponentInfo {
  uid: string;
  displayName: string;
  attributes: Record<string, Attribute>;
  /** The component's fields in order, with their widths (one section). */
  layout: { edit: EditSection[] };
}

export interface ContentSchema {
  contentTypes: ContentTypeInfo[];
  components: ComponentInfo[];
}

let current: ContentSchema = { contentTypes: [], components: [] };
let currentJson = JSON.stringify(current);
const listeners = new Set<() => void>();

/** For useSyncExternalStore: App re-renders its resources when the content types change. */
export function subscribeContentSchema(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Loads the schema for the current session (with the permissions: see withContentSchema). */
export async function loadContentSchema(): Promise<ContentSchema> {
  let next: ContentSchema;
  try {
    next = (await api<{ data: ContentSchema }>('/admin-api/content/content-types')).json.data;
  } catch {
    // Signed out (401) or no content access: no content resources, the rest of the admin still works.
    next = { contentTypes: [], components: [] };
  }
  const json = JSON.stringify(next);
  if (json !== currentJson) {
    current = next;
    currentJson = json;
    for (const listener of listeners) listener();
  }
  return current;
}

/**
 * The schema is loaded with the permissions, so that react-admin can build the content resources
 * synchronously: an asynchronous resource function makes react-admin show its loading page (and
 * unmount the layout, open forms included) every time the permissions are read again.
 */
export function withContentSchema(provider: AuthProvider): AuthProvider {
  const getPermissions = provider.getPermissions?.bind(provider);
  return {
    ...provider,
    async getPermissions(params: Parameters<NonNullable<AuthProvider['getPermissions']>>[0]) {
      const permissions: Promise<unknown> = getPermissions ? getPermissions(params) : Promise.resolve(undefined);
      const [answer] = await Promise.all([permissions, loadContentSchema()]);
      return answer;
    },
  };
}

export function contentSchema(): ContentSchema {
  return current;
}

export function contentType(uid: string): ContentTypeInfo | undefined {
  return current.contentTypes.find((t) => t.uid === uid);
}

export function component(uid: string): ComponentInfo | undefined {
  return current.components.find((c) => c.uid === uid);
}

/** react-admin resource names: collection types live under content/, single types under single-types/. */
export const collectionResource = (uid: string) => `content/${uid}`;
export const singleResource = (uid: string) => `single-types/${uid}`;

/** The content type behind a resource name, if it is one. */
export function typeOfResource(resource: string): ContentTypeInfo | undefined {
  const match = /^(?:content|single-types)\/([^/]+)$/.exec(resource);
  return match ? contentType(match[1]) : undefined;
}

export function isToMany(attribute: Attribute): boolean {
  return attribute.relation === 'oneToMany' || attribute.relation === 'manyToMany';
}

/** Attribute name → a readable label ("publishedDate" → "Published date"). */
export function labelOf(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Strapi's and Folio's names of the site members as a relation target (server/schema/model.ts). */
const MEMBER_TARGETS = new Set(['plugin::users-permissions.user', 'folio::member']);

/** Whether a relation points at the site members (shown and picked from the `members` resource). */
export function isMemberTarget(target: string | undefined): boolean {
  return MEMBER_TARGETS.has(target ?? '');
}
