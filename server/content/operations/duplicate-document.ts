// duplicateDocument: "duplicate this entry". Reads the source's editable version in a locale as the
// caller (its read conditions and field allowlists: a document it cannot read is a 404), and creates
// a new draft with the same fields through createDocument — the caller's create permission, create
// allowlist and conditions, the audit row `content.create` and the event, exactly as any create.
// Unique attributes and uids get the first free "<value>-copy", "<value>-copy-2" …; what cannot be
// copied (fields the caller may not create, links the source holds exclusively, unique values that
// cannot be suffixed) is left out and reported.
import type { Caller } from '../../access/caller.js';
import { ApplicationError, ForbiddenError } from '../../errors.js';
import type { ContentTypeModel, ScalarField } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { editableStatus, type DocumentEntry } from '../documents.js';
import { copyValues, type SkippedField } from './copy-values.js';
import { createDocument } from './create-document.js';
import type { OperationCaller, OperationDeps } from './deps.js';
import { restrict, writableFields } from './permissions.js';
import { contentTypeOf, readEditableDocument } from './read-as-editor.js';

export interface DuplicateDocumentRequest extends OperationCaller {
  uid: string;
  documentId: string;
  /** The locale of the version copied, and of the copy (none: the default one). */
  locale?: string;
}

export interface DuplicatedDocument {
  entry: DocumentEntry;
  skipped: SkippedField[];
}

type DuplicateDeps = OperationDeps & Parameters<typeof readEditableDocument>[0];

/** Text attributes a suffix keeps valid; other unique values (numbers, dates…) cannot be made free so. */
const SUFFIXABLE = new Set(['string', 'text', 'uid', 'email']);
const MAX_CANDIDATES = 1000;

/** `value` with the n-th copy suffix, within the attribute's maxLength; emails keep their domain. */
function suffixed(field: ScalarField, value: string, n: number): string {
  const suffix = n === 1 ? '-copy' : `-copy-${n}`;
  const a = field.attribute;
  const max =
    ('maxLength' in a && typeof a.maxLength === 'number' ? a.maxLength : undefined) ?? (a.type === 'uid' ? 180 : 255);
  if (a.type === 'email') {
    const at = value.lastIndexOf('@');
    if (at > 0) return `${value.slice(0, at)}+copy${n === 1 ? '' : n}${value.slice(at)}`;
  }
  return `${value.slice(0, Math.max(0, max - suffix.length))}${suffix}`;
}

/**
 * The first suffixed value no other editable version in `locale` uses, among the rows the caller may
 * read (as uid suggestions: a clash with rows it cannot read is the create's own "already taken").
 */
async function freeCopyValue(
  deps: DuplicateDeps,
  caller: Caller,
  type: ContentTypeModel,
  field: ScalarField,
  value: string,
  locale: string,
): Promise<string | undefined> {
  const schema = await deps.schema.current();
  for (let n = 1; n <= MAX_CANDIDATES; n++) {
    const candidate = suffixed(field, value, n);
    const qb = deps.db
      .from({ t0: type.table })
      .where(`t0.${field.column}`, candidate)
      .where(`t0.${S.locale}`, locale)
      .where(`t0.${S.status}`, editableStatus(type))
      .first(`t0.${S.id}`);
    restrict(deps.db, schema, qb, caller, 'read', type, 't0');
    if (!(await qb)) return candidate;
  }
  return undefined;
}

/** Unique attributes and uids of the copy: suffixed when copied, or left out (and reported) when they can't be. */
async function freeUniqueValues(
  deps: DuplicateDeps,
  caller: Caller,
  type: ContentTypeModel,
  data: Record<string, unknown>,
  locale: string,
): Promise<SkippedField[]> {
  const skipped: SkippedField[] = [];
  for (const field of type.scalars) {
    const a = field.attribute;
    if (!(a.unique || a.type === 'uid') || !Object.hasOwn(data, field.name)) continue;
    const value = data[field.name];
    if (value === null || value === '') continue;
    const free =
      typeof value === 'string' && SUFFIXABLE.has(a.type)
        ? await freeCopyValue(deps, caller, type, field, value, locale)
        : undefined;
    if (free === undefined) {
      delete data[field.name];
      skipped.push({ field: field.name, reason: 'unique' });
    } else data[field.name] = free;
  }
  return skipped;
}

export async function duplicateDocument(
  deps: DuplicateDeps,
  request: DuplicateDocumentRequest,
): Promise<DuplicatedDocument> {
  const { caller, uid, documentId, locale } = request;
  const schema = await deps.schema.current();
  const type = contentTypeOf(schema, uid);
  if (type.kind === 'singleType') throw new ApplicationError(`${type.displayName} is a single type: it has one entry`);
  // Copying shows the source's fields in the copy: a caller who may create but not read gets nothing.
  if (!caller.can('read', uid)) throw new ForbiddenError(`You may not read ${uid}`);
  const source = await readEditableDocument(deps, caller, uid, documentId, locale);
  const { data, skipped } = copyValues(schema, type, source, writableFields(caller, 'create', type));
  const sourceLocale = typeof source.locale === 'string' ? source.locale : '';
  skipped.push(...(await freeUniqueValues(deps, caller, type, data, sourceLocale)));
  const entry = await createDocument(deps, {
    caller,
    ip: request.ip,
    uid,
    locale,
    data,
    status: 'draft',
    auditDetails: { duplicatedFrom: documentId },
  });
  return { entry, skipped };
}
