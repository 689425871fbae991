// How pages outside an entry's own screens (Upcoming, a release) name an entry and link to it: its
// main field, read with one request per collection type, and the address of its edit screen.
import { useEffect, useState } from 'react';
import { useDataProvider, type RaRecord } from 'react-admin';
import { collectionResource, contentType, singleResource } from './schema';

export interface EntryRef {
  uid: string;
  documentId: string;
}

/** The key of an entry in the names map. */
export const entryKey = (entry: EntryRef) => `${entry.uid}\u0000${entry.documentId}`;

/** The entries' names (their main field), by entryKey; an entry whose name cannot be read is left out. */
export function useEntryNames(entries: readonly EntryRef[]): Map<string, string> {
  const dataProvider = useDataProvider();
  const [names, setNames] = useState<Map<string, string>>(new Map());
  // The entries as a value: a new array of the same entries does not read the names again.
  const wanted = JSON.stringify([...new Set(entries.map(entryKey))].sort());
  useEffect(() => {
    let live = true;
    const byType = new Map<string, Set<string>>();
    for (const key of JSON.parse(wanted) as string[]) {
      const [uid, documentId] = key.split('\u0000');
      byType.set(uid, (byType.get(uid) ?? new Set()).add(documentId));
    }
    void Promise.all(
      [...byType].map(async ([uid, ids]) => {
        const type = contentType(uid);
        if (!type || type.kind !== 'collectionType' || !type.mainField) return [];
        const field = type.mainField;
        // One read each (the Admin API has no "by ids" list), settled apart: an entry deleted
        // meanwhile is shown by its documentId, and the others keep their names.
        const read = await Promise.allSettled(
          [...ids].map((id) => dataProvider.getOne<RaRecord>(collectionResource(uid), { id })),
        );
        return read.flatMap((r): [string, string][] =>
          r.status === 'fulfilled'
            ? [[entryKey({ uid, documentId: String(r.value.data.id) }), String(r.value.data[field] ?? '')]]
            : [],
        );
      }),
    ).then((lists) => {
      if (live) setNames(new Map(lists.flat().filter(([, name]) => name)));
    });
    return () => {
      live = false;
    };
  }, [wanted, dataProvider]);
  return names;
}

/** A single type is named by its type; an entry whose name could not be read, by its documentId. */
export function fallbackName(entry: EntryRef): string {
  const type = contentType(entry.uid);
  return type?.kind === 'singleType' ? type.displayName : entry.documentId;
}

/** Where the entry is edited: its locale's page when one locale is meant (`locale` a code). */
export function entryPath(entry: EntryRef, locale?: string | null): string {
  const type = contentType(entry.uid);
  if (type?.kind === 'singleType') return `/${singleResource(entry.uid)}`;
  const query = locale ? `?locale=${encodeURIComponent(locale)}` : '';
  return `/${collectionResource(entry.uid)}/${encodeURIComponent(entry.documentId)}${query}`;
}
