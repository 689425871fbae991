// CASL abilities from permission rows. A row is (action, subject, fields allowlist, conditions);
// subject '*' means every content type (not the system subjects). Super Admin may do everything.
import {
  buildMongoQueryMatcher,
  createMongoAbility,
  type ForcedSubject,
  type MongoAbility,
  type RawRuleOf,
} from '@casl/ability';
import { permittedFieldsOf } from '@casl/ability/extra';
// CASL's documented way to add operators: its own matcher library's instructions and interpreters.
import { $and, $nor, $or, and, nor, or, type FieldCondition, type JsInterpreter } from '@ucast/mongo2js';
import { resolveConditions, type ConditionUser, type PermissionConditions } from './conditions.js';
import { parseMemberItem, type MemberGrant } from './member-grants.js';

/** A subject is a type name ('article') or an entry tagged with its type (CASL's `subject()`). */
export type AppSubject = string | ({ [field: string]: unknown } & ForcedSubject<string>);
export type AppAbility = MongoAbility<[string, AppSubject]>;
type AppRule = RawRuleOf<AppAbility>;

// `$exists` as SQL sees it: a column always exists, so "exists" means "is not null". Checking an
// entry in memory must agree with the WHERE clause the same conditions compile to.
const existsNotNull: JsInterpreter<FieldCondition<boolean>> = (node, object, context) => {
  const value: unknown = context.get(object, node.field);
  return (value !== undefined && value !== null) === node.value;
};

// CASL 7's default matcher knows field operators only; conditions combine with $and/$or/$nor.
const conditionsMatcher = buildMongoQueryMatcher({ $and, $or, $nor }, { and, or, nor, exists: existsNotNull });

/** Every ability of Folio is built here, with the same matcher. */
export function createAppAbility(rules: AppRule[]): AppAbility {
  return createMongoAbility<AppAbility>(rules, { conditionsMatcher });
}

/** Subjects that are not content types (server/access/caller.ts). */
export const SYSTEM_SUBJECTS = [
  'upload',
  'content-type-builder',
  'users',
  'roles',
  'api-tokens',
  'webhooks',
  'settings',
  'audit-log',
  'releases',
] as const;
export const ADMIN_CONTENT_ACTIONS = ['read', 'create', 'update', 'delete', 'publish'] as const;
export const ADMIN_SYSTEM_ACTIONS = ['read', 'create', 'update', 'delete'] as const;
/** A release is a system subject that also goes live: releasing it now or at a set time is `publish`. */
const RELEASE_ACTIONS = [...ADMIN_SYSTEM_ACTIONS, 'publish'] as const;

/** The actions the catalogue offers on a system subject. */
export function systemActionsOf(subject: string): readonly string[] {
  return subject === 'releases' ? RELEASE_ACTIONS : ADMIN_SYSTEM_ACTIONS;
}
export const CONTENT_API_ACTIONS = ['find', 'findOne', 'create', 'update', 'delete', 'findDrafts'] as const;
export const ALL_CONTENT_TYPES = '*';

export interface PermissionRow {
  action: string;
  subject: string;
  fields: string[] | null;
  conditions: PermissionConditions | null;
}

/**
 * What a caller holds, in the terms grants are compared in (server/access/grants.ts): everything
 * (the Super Admin role, or the system) or exactly these permission rows.
 */
export interface HeldPermissions {
  everything: boolean;
  rows: readonly PermissionRow[];
}

export function isSystemSubject(subject: string): boolean {
  return (SYSTEM_SUBJECTS as readonly string[]).includes(subject);
}

/** The admin permission catalogue: what can be granted, given the content types that exist. */
export function permissionCatalogue(
  contentTypes: readonly string[],
): { subject: string; kind: 'content' | 'system'; actions: string[] }[] {
  return [
    ...contentTypes.map((subject) => ({ subject, kind: 'content' as const, actions: [...ADMIN_CONTENT_ACTIONS] })),
    ...SYSTEM_SUBJECTS.map((subject) => ({ subject, kind: 'system' as const, actions: [...systemActionsOf(subject)] })),
  ];
}

/** The Content API catalogue: type.action pairs a Public role or a custom token may hold. */
export function contentApiCatalogue(contentTypes: readonly string[]): string[] {
  return [
    ...contentTypes.flatMap((t) => CONTENT_API_ACTIONS.map((a) => `${t}.${a}`)),
    'upload.find',
    'upload.findOne',
    'upload.create',
    'upload.update',
    'upload.delete',
  ];
}

/** Rules for an admin user holding these permissions. */
export function buildAdminAbility(
  storedRows: readonly PermissionRow[],
  user: ConditionUser | null,
  superAdmin: boolean,
): AppAbility {
  if (superAdmin) return createAppAbility([{ action: 'manage', subject: 'all' }]);
  // CASL reads 'manage' and 'all' as "any": no stored row may say that (being Super Admin is the
  // role), including rows saved before permission writes were held to the catalogue.
  const rows = storedRows.filter((r) => r.action !== 'manage' && r.subject !== 'all');
  const toRule = (row: PermissionRow, subject: string): AppRule => {
    const rule: AppRule = { action: row.action, subject };
    const conditions = resolveConditions(row.conditions, user);
    if (conditions) rule.conditions = conditions;
    if (row.fields) rule.fields = row.fields;
    return rule;
  };
  // CASL gives later rules priority. Wildcard grants come first, then the denials that keep them
  // off the system subjects, then grants naming a subject: an explicit 'upload' row wins over both.
  const wildcard = rows.filter((r) => r.subject === ALL_CONTENT_TYPES);
  const rules: AppRule[] = wildcard.map((r) => toRule(r, 'all'));
  const wildcardActions = [...new Set(wildcard.map((r) => r.action))];
  if (wildcardActions.length) rules.push({ action: wildcardActions, subject: [...SYSTEM_SUBJECTS], inverted: true });
  for (const row of rows) if (row.subject !== ALL_CONTENT_TYPES) rules.push(toRule(row, row.subject));
  return createAppAbility(rules);
}

/**
 * Where a member permission's owner condition points: the type's owner attribute, whatever it is
 * named (access/conditions-filter.ts compiles it). No attribute can be called this (`::`), so an
 * entry checked in memory never matches it: the SQL alone decides.
 */
export const OWNER_CONDITION_FIELD = 'folio::owner';

/**
 * Rules from a list of member items (member roles, the Public role, custom tokens; access/member-grants.ts):
 * "subject.action:own" holds on the entries `memberId` owns — none without a member (Public) —, and
 * "subject.action(a,b)" on those fields only. Lists are checked when stored: an item that does not
 * parse grants nothing.
 */
export function buildListAbility(allow: readonly string[], memberId?: number): AppAbility {
  const rules: AppRule[] = [];
  for (const raw of allow) {
    const grant = grantOf(raw);
    if (!grant) continue;
    const rule: AppRule = { subject: grant.subject, action: grant.action };
    if (grant.own) rule.conditions = { [OWNER_CONDITION_FIELD]: memberId ?? { $in: [] } };
    if (grant.fields) rule.fields = grant.fields;
    rules.push(rule);
  }
  return createAppAbility(rules);
}

function grantOf(item: string): MemberGrant | undefined {
  try {
    return parseMemberItem(item);
  } catch {
    return undefined;
  }
}

/** read-only: find/findOne everywhere (media included); full-access: everything. */
export function buildTokenAbility(type: 'read-only' | 'full-access' | 'custom', allow: readonly string[]): AppAbility {
  if (type === 'full-access') return createAppAbility([{ action: 'manage', subject: 'all' }]);
  if (type === 'read-only') return createAppAbility([{ action: ['find', 'findOne'], subject: 'all' }]);
  return buildListAbility(allow);
}

/**
 * The fields of `subject` the ability allows for `action`, out of `allFields` (a rule without a
 * field allowlist allows them all). Reads strip the others; writes naming any other field are 403.
 */
export function permittedFields(
  ability: AppAbility,
  action: string,
  subject: AppSubject,
  allFields: readonly string[],
): string[] {
  return permittedFieldsOf(ability, action, subject, { fieldsFrom: (rule) => rule.fields ?? [...allFields] }).filter(
    (f) => allFields.includes(f),
  );
}
