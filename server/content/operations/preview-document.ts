// Preview: the site's own page for a document's draft. The editor asks for it; the answer is the type's
// preview URL template (options.previewUrl) filled with the draft's values and a short-lived preview
// token that lets the site read that draft, and nothing else, through the Content API
// (auth/preview-tokens.ts, find-documents.ts). Only an editor who may read the document — `read` on
// the type, the document within their role's conditions, every field the token shows — gets one: a
// token is a grant, and never shows more than the editor who asked for it may see.
import type { Caller } from '../../access/caller.js';
import type { IssuedPreviewToken, PreviewTokenService } from '../../auth/preview-tokens.js';
import { ForbiddenError, ValidationError } from '../../errors.js';
import { fillPreviewUrl } from '../preview-url.js';
import type { EditorNames } from './home-summary.js';
import type { ContentTypeModel } from '../../schema/model.js';
import { isPrivate } from '../../schema/text-attributes.js';
import { readableFields } from './permissions.js';
import { contentTypeOf, readEditableDocument, type EditorReadDeps } from './read-as-editor.js';

export interface PreviewDeps extends EditorReadDeps {
  auth: { users: EditorNames };
  previewTokens: Pick<PreviewTokenService, 'issue'>;
}

export interface PreviewRequest {
  caller: Caller;
  uid: string;
  documentId: string;
  locale?: string;
}

export interface PreviewAnswer extends IssuedPreviewToken {
  url: string;
}

/** The fields a preview token shows (the Content API's: all but private ones and relations) the caller may not read. */
function hiddenFromCaller(caller: Caller, type: ContentTypeModel): string[] {
  const readable = readableFields(caller, type);
  return [...type.fields]
    .filter(([name, field]) => field.kind !== 'relation' && !isPrivate(field) && !readable.has(name))
    .map(([name]) => name);
}

export async function previewDocument(deps: PreviewDeps, request: PreviewRequest): Promise<PreviewAnswer> {
  const { caller, uid, documentId } = request;
  const type = contentTypeOf(await deps.schema.current(), uid);
  if (!caller.can('read', type.uid)) throw new ForbiddenError(`You may not read ${type.uid}`);
  const hidden = hiddenFromCaller(caller, type);
  if (hidden.length)
    throw new ForbiddenError(`A preview shows every field of the entry; you may not read ${hidden.join(', ')}`);
  const template = type.definition.options?.previewUrl;
  if (typeof template !== 'string' || !template.trim())
    throw new ValidationError(`The content type ${type.uid} has no preview URL (options.previewUrl)`);
  // 404 when the document does not exist or lies outside the caller's conditions.
  const entry = await readEditableDocument(deps, caller, type.uid, documentId, request.locale);
  const read = typeof entry.locale === 'string' ? entry.locale : undefined;
  const locale = type.localized ? (read ?? request.locale ?? (await deps.locales.defaultCode())) : '';
  const issued = await deps.previewTokens.issue({ uid: type.uid, documentId, locale });
  // Folio's own values win over attributes of the same name.
  const url = fillPreviewUrl(template, { ...entry, locale, documentId, token: issued.token });
  return { url, ...issued };
}
