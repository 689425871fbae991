// What a Content API caller (a member, an API token, the Public role) does to member accounts through
// /api/users and /api/users-permissions/roles: Strapi's users-permissions user and role routes. Each
// checks the caller's right on the `users` (or `roles`) subject of its member role or token — the one
// list ability every /api caller has — inside the write's transaction, writes and audits there.
import type { Caller } from '../access/caller.js';
import { refusal } from '../access/caller.js';
import type { AccessService } from '../access/service.js';
import type { AuditLog } from '../events/audit.js';
import { inTransaction } from '../access/operations/deps.js';
import { NotFoundError, UnauthorizedError, ValidationError } from '../errors.js';
import { assertMember } from './caller.js';
import { hashPassword } from '../auth/crypto.js';
import type { Knex } from 'knex';
import type { MemberAuth } from './auth.js';
import type { MemberJson, MemberPatch, MemberRow } from './members.js';
import { countMemberRows, listMemberRows, type MemberQuery } from './query.js';
import type { Filter } from '../content/query/ast.js';
import { check, extraFields, str, type Body } from './bodies.js';
import { isOwnEmailChange } from './email-change.js';

export interface MemberOperationDeps {
  db: Knex;
  access: AccessService;
  audit: AuditLog;
  members: MemberAuth;
}

export interface MemberRequest {
  caller: Caller;
  ip?: string;
}

/** 403 "Forbidden" (Strapi's bare message) unless the caller may `action` on `subject`. */
function assertMay(caller: Caller, action: string, subject: 'users' | 'roles'): void {
  if (!caller.can(action, subject)) throw refusal(caller, 'Forbidden');
}

const CREATE_KEYS = ['username', 'email', 'password', 'role', 'confirmed', 'blocked'];

function booleanField(body: Body, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean')
    throw ValidationError.fromErrors([
      { path: [name], message: `${name} must be a \`boolean\` type`, name: 'ValidationError' },
    ]);
  return value;
}

/** The role a body names (`role: 3`, `role: { id: 3 }` or `{ connect: [{ id: 3 }] }`), resolved. */
async function roleIdOf(deps: MemberOperationDeps, body: Body, db: Knex): Promise<number | undefined> {
  const raw = body.role;
  if (raw === undefined) return undefined;
  let id: unknown = raw;
  if (typeof raw === 'object' && raw !== null) {
    const r = raw as { id?: unknown; connect?: { id?: unknown }[] };
    id = r.id ?? (Array.isArray(r.connect) && r.connect.length === 1 ? r.connect[0]?.id : undefined);
  }
  if (typeof id === 'string' && /^\d{1,12}$/.test(id)) id = Number(id);
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1)
    throw ValidationError.fromErrors([{ path: ['role'], message: 'role must be a role id', name: 'ValidationError' }]);
  const role = await deps.members.roles.resolve(id, db);
  // The Public role is the role of callers without credentials: a member never holds it.
  if (role.type === 'public')
    throw ValidationError.fromErrors([
      { path: ['role'], message: 'a member cannot have the Public role', name: 'ValidationError' },
    ]);
  return role.id;
}

function assertKnownKeys(body: Body, allowed: readonly string[]): void {
  const invalid = Object.keys(body).filter((k) => !allowed.includes(k));
  if (invalid.length) throw new ValidationError(`Invalid parameters: ${invalid.join(', ')}`);
}

/** GET /api/users: Strapi answers a plain array (no `meta`), filtered, sorted and windowed. */
export async function findMembers(
  deps: MemberOperationDeps,
  request: MemberRequest & { query: MemberQuery },
): Promise<MemberJson[]> {
  assertMay(request.caller, 'find', 'users');
  const rows = await listMemberRows<MemberRow>(deps.db, request.query);
  return Promise.all(rows.map((row) => deps.members.members.json(row, request.query.populateRole)));
}

export async function countMembers(
  deps: MemberOperationDeps,
  request: MemberRequest & { filter: Filter | null },
): Promise<number> {
  assertMay(request.caller, 'find', 'users');
  return countMemberRows(deps.db, request.filter);
}

export async function findMember(
  deps: MemberOperationDeps,
  request: MemberRequest & { id: number; populateRole: boolean },
): Promise<MemberJson> {
  assertMay(request.caller, 'findOne', 'users');
  const row = await deps.members.members.rowById(request.id);
  if (!row) throw new NotFoundError('User not found');
  return deps.members.members.json(row, request.populateRole);
}

/** GET /api/users/me: the signed-in member itself. */
export async function currentMember(
  deps: MemberOperationDeps,
  request: MemberRequest & { populateRole: boolean },
): Promise<MemberJson> {
  const row = await deps.members.members.rowById(assertMember(request.caller));
  if (!row) throw new UnauthorizedError('Missing or invalid credentials');
  return deps.members.members.json(row, request.populateRole);
}

export async function createMember(
  deps: MemberOperationDeps,
  request: MemberRequest & { body: Body },
): Promise<MemberJson> {
  assertMay(request.caller, 'create', 'users');
  const settings = await deps.members.settings();
  const { body } = request;
  assertKnownKeys(body, [...CREATE_KEYS, ...settings.allowedFields]);
  check(body, { username: 'username', email: 'email', password: 'password' });
  const profile = extraFields(body, settings.allowedFields);
  const confirmed = booleanField(body, 'confirmed');
  const blocked = booleanField(body, 'blocked');
  const passwordHash = await hashPassword(str(body, 'password'));
  return inTransaction(deps, async (trx) => {
    const roleId =
      (await roleIdOf(deps, body, trx)) ?? (await deps.members.roles.resolve(settings.defaultRole, trx)).id;
    const row = await deps.members.members.createIn(trx, {
      username: str(body, 'username').trim(),
      email: str(body, 'email'),
      passwordHash,
      roleId,
      confirmed: confirmed ?? false,
      blocked: blocked ?? false,
      profile,
    });
    await deps.audit.record(
      { actor: request.caller, action: 'members.create', subject: 'members', entityId: Number(row.id), ip: request.ip },
      trx,
    );
    return deps.members.members.json(row, false, trx);
  });
}

export async function updateMember(
  deps: MemberOperationDeps,
  request: MemberRequest & { id: number; body: Body },
): Promise<MemberJson> {
  assertMay(request.caller, 'update', 'users');
  const settings = await deps.members.settings();
  const { body } = request;
  assertKnownKeys(body, [...CREATE_KEYS, ...settings.allowedFields]);
  const rules = { username: 'username', email: 'email', password: 'password' } as const;
  // A partial update: only the fields sent are checked.
  check(body, Object.fromEntries(Object.entries(rules).filter(([name]) => Object.hasOwn(body, name))));
  // A member's own new address waits for its confirmation (email-change.ts); others set it directly.
  const ownEmail = isOwnEmailChange(request.caller, request.id, body) ? str(body, 'email') : undefined;
  if (ownEmail) await deps.members.assertMailAllowed(request.ip, ownEmail);
  const patch: MemberPatch = {
    username: body.username === undefined ? undefined : str(body, 'username').trim(),
    email: body.email === undefined || ownEmail ? undefined : str(body, 'email'),
    passwordHash: body.password === undefined ? undefined : await hashPassword(str(body, 'password')),
    confirmed: booleanField(body, 'confirmed'),
    blocked: booleanField(body, 'blocked'),
  };
  const profile = extraFields(body, settings.allowedFields);
  if (Object.keys(profile).length) patch.profile = profile;
  const { json, tokenStateChanged, emailChange } = await inTransaction(deps, async (trx) => {
    patch.roleId = await roleIdOf(deps, body, trx);
    const { row, tokenStateChanged: changed } = await deps.members.members.updateIn(trx, request.id, patch);
    const code = ownEmail ? await deps.members.emailChanges.requestIn(trx, row, ownEmail) : undefined;
    await deps.audit.record(
      {
        actor: request.caller,
        action: 'members.update',
        subject: 'members',
        entityId: request.id,
        ip: request.ip,
        details: {
          fields: Object.keys(body).filter((k) => k !== 'password'),
          ...(code ? { emailChange: 'pending' } : {}),
        },
      },
      trx,
    );
    const emailChange = code && ownEmail ? { row, email: ownEmail, code } : undefined;
    return { json: await deps.members.members.json(row, false, trx), tokenStateChanged: changed, emailChange };
  });
  if (tokenStateChanged) await deps.access.invalidate();
  if (emailChange) deps.members.emailChanges.mailLater(emailChange.row, emailChange.email, emailChange.code);
  return json;
}

export async function deleteMember(
  deps: MemberOperationDeps,
  request: MemberRequest & { id: number },
): Promise<MemberJson> {
  assertMay(request.caller, 'delete', 'users');
  const json = await inTransaction(deps, async (trx) => {
    const row = await deps.members.members.deleteIn(trx, request.id);
    await deps.audit.record(
      { actor: request.caller, action: 'members.delete', subject: 'members', entityId: request.id, ip: request.ip },
      trx,
    );
    return deps.members.members.json(row, false, trx);
  });
  await deps.access.invalidate(); // its tokens die with it, on every instance at once
  return json;
}

/** GET /api/users-permissions/roles: `{ roles }` with each role's `nb_users`. */
export async function listMemberRoles(deps: MemberOperationDeps, request: MemberRequest) {
  assertMay(request.caller, 'find', 'roles');
  return { roles: await deps.members.roles.list() };
}
