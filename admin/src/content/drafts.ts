// Local copies of unsaved form values, so that a reload, a crash or an expired session loses
// nothing: one localStorage entry per user, resource, document and locale. The copy records the
// `updatedAt` of the version it was edited from, so that a copy older than the stored entry is
// offered rather than laid over someone else's newer save.
export interface DraftKey {
  userId: string | number;
  resource: string;
  /** Undefined on a create page: one unsaved new entry per type and locale. */
  documentId?: string;
  locale?: string;
}

export interface LocalDraft {
  values: Record<string, unknown>;
  /** When the copy was last written (ISO). */
  savedAt: string;
  /** The `updatedAt` of the stored version the changes were made on; null for a new entry. */
  baseUpdatedAt: string | null;
}

const PREFIX = 'folio.draft';

function storageKey(key: DraftKey): string {
  const parts = [PREFIX, key.userId, key.resource, key.documentId ?? 'new', key.locale ?? ''];
  return parts.map((p) => encodeURIComponent(String(p))).join(':');
}

function isDraft(value: unknown): value is LocalDraft {
  const v = value as Partial<LocalDraft> | null;
  if (typeof v !== 'object' || v === null) return false;
  return typeof v.values === 'object' && v.values !== null && typeof v.savedAt === 'string';
}

export function readDraft(key: DraftKey): LocalDraft | undefined {
  try {
    const raw = window.localStorage.getItem(storageKey(key));
    const parsed: unknown = raw === null ? undefined : JSON.parse(raw);
    return isDraft(parsed) ? parsed : undefined;
  } catch {
    // Storage disabled or a corrupt copy: there is nothing to restore.
    return undefined;
  }
}

export function writeDraft(key: DraftKey, draft: LocalDraft): void {
  try {
    window.localStorage.setItem(storageKey(key), JSON.stringify(draft));
  } catch {
    // Full or disabled storage: the form itself still holds the changes.
  }
}

export function removeDraft(key: DraftKey): void {
  try {
    window.localStorage.removeItem(storageKey(key));
  } catch {
    // Disabled storage holds nothing to remove.
  }
}
