// A member role's allow list (the Public role's too) as the permission matrix edits it, and back.
// Items are `<type>.<action>[:own][(<field>,<field>,…)]` (docs/members.md): `:own` limits a grant to
// the member's own entries, the parentheses to some top-level fields of the type. The matrix shows
// the grants its catalogue knows; every other item (a member subject such as `users.find`, a type
// removed since, a form this page does not understand) is kept as it was, so saving never drops it.

/** The actions a grant may be limited to some fields on: reads and the writes that carry a body. */
const FIELD_ACTIONS: ReadonlySet<string> = new Set(['find', 'findOne', 'findDrafts', 'create', 'update']);

/** The actions a grant may be limited to the member's own entries on (never on the Public role). */
const OWN_ACTIONS: ReadonlySet<string> = new Set(['find', 'findOne', 'findDrafts', 'update', 'delete']);

/**
 * What a grant on `action` may be limited to, for the Public role or a member role: some fields of
 * a content type (`type` given) on reads and on writes with a body; the member's own entries on a
 * type with an owner, never for the Public role (nobody owns an entry without signing in).
 */
export function limitsOffered(
  role: 'public' | 'member',
  action: string,
  type: { owner: boolean } | undefined,
): { fields: boolean; own: boolean } {
  return {
    fields: type !== undefined && FIELD_ACTIONS.has(action),
    own: role === 'member' && type?.owner === true && OWN_ACTIONS.has(action),
  };
}

export interface MemberGrant {
  subject: string;
  action: string;
  /** On the member's own entries only. */
  own: boolean;
  /** The fields it is limited to, in the type's attribute order; null: every field. */
  fields: string[] | null;
}

export interface MemberMatrixState {
  /** One grant per subject and action, for the items the matrix shows. */
  grants: MemberGrant[];
  /** Items kept untouched: not in the matrix's catalogue, or not of a form it edits. */
  extra: string[];
}

// A subject (no parentheses), its action, `:own`, then a field list of plain names: fields never
// hold dots, parentheses or commas, so the last dot before the action ends the subject.
const ITEM = /^([^()]+)\.([A-Za-z]+)(:own)?(?:\(([A-Za-z0-9_-]+(?:,[A-Za-z0-9_-]+)*)\))?$/;

/** An item as a grant, or undefined when it is not of the form the matrix edits. */
export function parseMemberItem(item: string): MemberGrant | undefined {
  const match = ITEM.exec(item);
  if (!match) return undefined;
  const [, subject, action, own, fields] = match;
  return { subject, action, own: own !== undefined, fields: fields === undefined ? null : fields.split(',') };
}

/** A grant as its item: the canonical form the server answers. */
export function memberItem(grant: MemberGrant): string {
  const own = grant.own ? ':own' : '';
  const fields = grant.fields ? `(${grant.fields.join(',')})` : '';
  return `${grant.subject}.${grant.action}${own}${fields}`;
}

/**
 * The matrix's state for an allow list. `known` holds the `type.action` pairs the matrix shows (the
 * catalogue's Content API items); a pair named twice keeps the last, as the server does.
 */
export function toMemberMatrix(allow: readonly string[], known: ReadonlySet<string>): MemberMatrixState {
  const grants = new Map<string, MemberGrant>();
  const extra: string[] = [];
  for (const item of allow) {
    const grant = parseMemberItem(item);
    const pair = grant && `${grant.subject}.${grant.action}`;
    if (grant && pair && known.has(pair)) {
      grants.delete(pair);
      grants.set(pair, grant);
    } else extra.push(item);
  }
  return { grants: [...grants.values()], extra };
}

/** The allow list for a matrix state: its grants' items and the extra ones, sorted. */
export function toAllowList(state: MemberMatrixState): string[] {
  return [...state.grants.map(memberItem), ...state.extra].sort();
}

/** `selected` in the order of `all` (the type's attributes), names `all` lacks last, as they were. */
export function inFieldOrder(selected: readonly string[], all: readonly string[]): string[] {
  const chosen = new Set(selected);
  return [...all.filter((f) => chosen.has(f)), ...selected.filter((f) => !all.includes(f))];
}

/** The state with the grant on `subject.action` set to `limits` (in its place), or removed (null). */
export function withGrant(
  state: MemberMatrixState,
  subject: string,
  action: string,
  limits: Pick<MemberGrant, 'own' | 'fields'> | null,
): MemberMatrixState {
  const at = state.grants.findIndex((g) => g.subject === subject && g.action === action);
  const grants = state.grants.filter((_, i) => i !== at);
  if (limits) grants.splice(at < 0 ? grants.length : at, 0, { subject, action, ...limits });
  return { ...state, grants };
}
