// The request bodies of the members routes, checked as Strapi's users-permissions checks them (its
// yup schemas' messages: "identifier is a required field", "2 errors occurred"), so that a site
// matching on them keeps working. Extra fields are the settings' `allowedFields` only.
import { ValidationError, type BodyErrorItem } from '../errors.js';
import type { ProfileValue } from './members.js';

export type Body = Record<string, unknown>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Argon2 takes any length; a bound keeps a megabyte "password" from costing a hash of it. */
export const PASSWORD_MAX = 200;
const EXTRA_VALUE_MAX = 1000;

export function bodyOf(raw: unknown): Body {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  return raw as Body;
}

type Rule = 'required' | 'email' | 'password' | 'username' | 'optional-string';

/** Checks `fields` of `body`; one 400 listing every failure (Strapi's "N errors occurred"). */
export function check(body: Body, fields: Record<string, Rule>): void {
  const errors: BodyErrorItem[] = [];
  const fail = (path: string, message: string) => errors.push({ path: [path], message, name: 'ValidationError' });
  for (const [name, rule] of Object.entries(fields)) {
    const value = Object.hasOwn(body, name) ? body[name] : undefined;
    if (value === undefined || value === null || value === '') {
      if (rule !== 'optional-string') fail(name, `${name} is a required field`);
      continue;
    }
    if (typeof value !== 'string') {
      fail(name, `${name} must be a \`string\` type`);
      continue;
    }
    if (rule === 'email' && (!EMAIL.test(value) || value.length > 191)) fail(name, `${name} must be a valid email`);
    if (rule === 'password' && value.length < 6) fail(name, `${name} must be at least 6 characters`);
    if (rule === 'password' && value.length > PASSWORD_MAX)
      fail(name, `${name} must be at most ${PASSWORD_MAX} characters`);
    if (rule === 'username' && value.trim().length < 3) fail(name, `${name} must be at least 3 characters`);
    if (rule === 'username' && value.length > 191) fail(name, `${name} must be at most 191 characters`);
  }
  if (errors.length) throw ValidationError.fromErrors(errors);
}

/** 400 "Invalid parameters: a, b" for keys outside `allowed` (Strapi's register check). */
export function assertOnlyKeys(body: Body, allowed: readonly string[]): void {
  const invalid = Object.keys(body).filter((key) => !allowed.includes(key));
  if (invalid.length) throw new ValidationError(`Invalid parameters: ${invalid.join(', ')}`);
}

/** The allowlisted extra fields of `body`: scalars only, strings bounded. */
export function extraFields(body: Body, allowedFields: readonly string[]): Record<string, ProfileValue> {
  const out: Record<string, ProfileValue> = {};
  for (const name of allowedFields) {
    if (!Object.hasOwn(body, name)) continue;
    const value = body[name];
    const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
    if (!scalar || (typeof value === 'string' && value.length > EXTRA_VALUE_MAX))
      throw ValidationError.fromErrors([
        {
          path: [name],
          message: `${name} must be a string (at most ${EXTRA_VALUE_MAX} characters), a number, a boolean or null`,
          name: 'ValidationError',
        },
      ]);
    out[name] = value as ProfileValue;
  }
  return out;
}

export function str(body: Body, name: string): string {
  return body[name] as string;
}

/** `?populate=role` in any of Strapi's spellings (`role`, `*`, `[role]=true`, `[0]=role`): whether to add the role. */
export function populateRole(value: unknown): boolean {
  if (value === undefined) return false;
  if (value === 'role' || value === '*' || value === 'true') return true;
  if (Array.isArray(value) && value.every((v) => v === 'role' || v === '*')) return value.length > 0;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.every((k) => k === 'role' || /^\d+$/.test(k))) {
      return keys.length > 0 && Object.values(value).every((v) => v !== 'false');
    }
  }
  throw ValidationError.query('Invalid populate: a user can populate only its role', 'populate', 'populate');
}
