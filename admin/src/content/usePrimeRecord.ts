// Puts an entry's current record where its edit page will look for it.
//
// After Publish on a create page, the record react-admin hands the new entry's edit page is the
// draft the create answered; the page's own read then answers the published record, which differs,
// and the form resets to it — dropping whatever the editor typed in between. Reading the entry once
// before the redirect, and replacing the cached record with it, makes that read find the same
// record (react-query keeps the object), so nothing resets.
import { useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useResourceContext, type Identifier, type RaRecord } from 'react-admin';

export function usePrimeRecord(): (id: Identifier, locale: string | undefined) => Promise<void> {
  const resource = useResourceContext();
  const dataProvider = useDataProvider();
  const queryClient = useQueryClient();
  return async (id, locale) => {
    if (!resource) return;
    const { data } = await dataProvider.getOne<RaRecord>(resource, { id, meta: { locale } });
    // Matches the page's key whatever its meta: `[resource, 'getOne', { id, meta }]`.
    queryClient.setQueriesData({ queryKey: [resource, 'getOne', { id: String(id) }] }, data);
  };
}
