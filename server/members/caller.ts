// The member asking, for the routes about oneself (`/users/me`, change-password).
import type { Caller } from '../access/caller.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

/**
 * The member's id: no permission is needed beyond being signed in as a member. Without credentials
 * it is Strapi's 403 (the Public role has no `me`); another caller (an API token) is no member: 401.
 */
export function assertMember(caller: Caller): number {
  if (caller.kind === 'member' && caller.id !== undefined) return caller.id;
  if (caller.kind === 'public') throw new ForbiddenError('Forbidden');
  throw new UnauthorizedError('Missing or invalid credentials');
}
