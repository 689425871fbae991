// The permission items of member roles (the Public role, Authenticated, custom roles):
// `<type>.<action>[:own][(<field>,<field>,…)]`, e.g. `article.find(title,summary)`,
// `comment.update:own(body)`, `comment.find:own`. `:own` holds the action on the entries the member
// owns only; the parentheses are a field allowlist (top-level attributes of the type; none: every
// field). One grammar for the Admin API, the CLI, the stored rows and the ability built from them.
import { ValidationError } from '../errors.js';

/** A member role's grant: `own` holds it only on entries the member asking owns; `fields` null: all. */
export interface MemberGrant {
  subject: string;
  action: string;
  own: boolean;
  fields: string[] | null;
}

const ITEM = /^([a-z][a-z0-9-]*)\.(find|findOne|create|update|delete|findDrafts)(:own)?(?:\(([^()]*)\))?$/;
const SYNTAX = '<type>.<find|findOne|create|update|delete|findDrafts>[:own][(field,…)]';
/** Row conditions are checked on reads (their SQL) and on the rows a write locks; a new entry has no owner yet. */
const OWN_ACTIONS: ReadonlySet<string> = new Set(['find', 'findOne', 'findDrafts', 'update', 'delete']);
/** A delete removes the whole entry: a field list would mean nothing. */
const FIELD_ACTIONS: ReadonlySet<string> = new Set(['find', 'findOne', 'findDrafts', 'create', 'update']);

/** One item → its grant; 400 naming the item when it is malformed. */
export function parseMemberItem(raw: string): MemberGrant {
  const item = raw.trim();
  const match = ITEM.exec(item);
  if (!match) throw new ValidationError(`Invalid permission "${item}": expected ${SYNTAX}`);
  const [, subject, action, own, list] = match;
  if (own && !OWN_ACTIONS.has(action))
    throw new ValidationError(`Invalid permission "${item}": ${action} cannot be limited to the owner's entries`);
  if (list === undefined) return { subject, action, own: Boolean(own), fields: null };
  if (!FIELD_ACTIONS.has(action))
    throw new ValidationError(`Invalid permission "${item}": ${action} takes no field list`);
  const fields = [...new Set(list.split(',').map((f) => f.trim()))];
  if (fields.some((f) => !f)) throw new ValidationError(`Invalid permission "${item}": an empty field name`);
  return { subject, action, own: Boolean(own), fields };
}

/** The grant as its item, the form lists are answered in. */
export function memberItem(grant: MemberGrant): string {
  const fields = grant.fields ? `(${grant.fields.join(',')})` : '';
  return `${grant.subject}.${grant.action}${grant.own ? ':own' : ''}${fields}`;
}

/**
 * A member role's list: one grant per type and action, the last named winning (the CLI's `grant` of
 * `x.update:own` replaces `x.update`, of `x.find(title)` a `x.find`).
 */
export function parseMemberAllowList(allow: readonly string[]): MemberGrant[] {
  const seen = new Map<string, MemberGrant>();
  for (const raw of allow) {
    const grant = parseMemberItem(raw);
    const key = `${grant.subject}.${grant.action}`;
    seen.delete(key);
    seen.set(key, grant);
  }
  return [...seen.values()];
}

/** Each content type's attribute names, in the schema's order. */
export type TypeAttributes = ReadonlyMap<string, readonly string[]>;

/**
 * The grants with their field lists checked against the types' attributes and put in the schema's
 * attribute order (so that a list read back is the list as the dashboard shows it); 400 naming the
 * fields a type does not have, or a field list on what is not a content type.
 */
export function withSchemaFields(grants: readonly MemberGrant[], attributes: TypeAttributes): MemberGrant[] {
  return grants.map((grant) => {
    if (!grant.fields) return grant;
    const known = attributes.get(grant.subject);
    if (!known)
      throw new ValidationError(
        `Invalid permission "${memberItem(grant)}": only a content type's fields can be listed`,
      );
    const unknown = grant.fields.filter((f) => !known.includes(f));
    if (unknown.length)
      throw new ValidationError(
        `Unknown field(s) of ${grant.subject} in "${memberItem(grant)}": ${unknown.join(', ')}`,
        {
          fields: unknown,
        },
      );
    const listed = new Set(grant.fields);
    return { ...grant, fields: known.filter((a) => listed.has(a)) };
  });
}
