// Who is asking. Every route reads the caller that the authentication middleware put on
// ctx.state.caller and asks it, never the raw credentials: one question — may this caller do this
// action on this subject? — answered by the access module for the Public role, API tokens and
// admin users alike.
//
// Subjects: a content type's singularName ('article'), or a system subject:
//   'upload' (media library), 'content-type-builder', 'users', 'roles', 'api-tokens', 'webhooks',
//   'settings', 'audit-log', 'releases'.
// Content API actions (docs/content-api.md, "Who may call"): find, findOne, create, update, delete, findDrafts.
// Admin actions (content): read, create, update, delete, publish; (system subjects): read, create,
//   update, delete, and publish on releases.

import { ForbiddenError, UnauthorizedError, type FolioError } from '../errors.js';
import { createAppAbility, type AppAbility, type HeldPermissions } from './ability.js';

export type CallerKind = 'public' | 'api-token' | 'preview' | 'member' | 'admin' | 'system';

/** One document of one type in one locale ('' for types not localized): all a preview token may read. */
export interface DocumentScope {
  uid: string;
  documentId: string;
  locale: string;
}

export interface Caller {
  kind: CallerKind;
  /** Admin user id (kind 'admin'), API token id (kind 'api-token'), member id (kind 'member'). */
  id?: number;
  /** A preview token's caller: the one document its reads are confined to (find-documents.ts). */
  document?: DocumentScope;
  /** May the caller do `action` on `subject` (optionally: on this field of it)? */
  can(action: string, subject: string, field?: string): boolean;
}

/**
 * The error for a request refused to this caller: 403, except for a preview token, whose refusal is
 * 401 — it is a credential for one document, and a request beyond it is not covered by it at all (the
 * site needs a token for what it asks, as with an expired one).
 */
export function refusal(caller: Caller | undefined, message: string): FolioError {
  return caller?.document
    ? new UnauthorizedError('This preview token does not open what was asked for')
    : new ForbiddenError(message);
}

const EVERYTHING = createAppAbility([{ action: 'manage', subject: 'all' }]);

/**
 * The CLI and internal jobs act as the system: everything is allowed, said explicitly by its own
 * ability and holdings (a caller without an ability is a programming error, never "everything").
 */
export const SYSTEM_CALLER: Caller & { ability: AppAbility; held: HeldPermissions } = {
  kind: 'system',
  ability: EVERYTHING,
  held: { everything: true, rows: [] },
  can: (action, subject, field) => EVERYTHING.can(action, subject, field),
};

declare module 'koa' {
  interface DefaultState {
    caller?: Caller;
  }
}
