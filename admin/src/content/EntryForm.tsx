// The layout of an entry's create and edit pages: the fields on the left, the side panel
// (EntryPanel) on the right, kept in view while the form scrolls; on a phone the panel follows
// the form. Leaving with unsaved changes asks first (react-admin's warnWhenUnsavedChanges, which
// the data router lets block), and the changes are copied to the browser as they are made
// (DraftAutosave).
import { useCallback, type ReactNode } from 'react';
import { Form, useGetIdentity, useNotify, useRedirect, type Identifier, type RaRecord } from 'react-admin';
import { Box, Card, CardContent, Stack } from '@mui/material';
import { DraftAutosave } from './DraftAutosave';
import { EditConflict } from './EditConflict';
import type { EditConflictState } from './useEditConflict';
import { removeDraft } from './drafts';
import { EntryBreadcrumbs } from './EntryTitle';
import { EntryPanel, PHONE_ACTIONS_SPACE } from './EntryPanel';
import { PreviewPanel, PreviewPanelProvider, usePreviewPanelOpen } from './PreviewPanel';
import type { ContentTypeInfo } from './schema';

export interface EntryFormProps {
  type: ContentTypeInfo;
  resource: string;
  /** The entry being edited; undefined on a create page. */
  documentId?: Identifier;
  locale?: string;
  creating?: boolean;
  onCreated?: (record: RaRecord) => void;
  /** An edit page's refused stale save, shown above the fields with the editor's choices. */
  conflict?: EditConflictState;
  children: ReactNode;
}

export function EntryForm(props: EntryFormProps) {
  return (
    <PreviewPanelProvider>
      <EntryLayout {...props} />
    </PreviewPanelProvider>
  );
}

function EntryLayout(props: EntryFormProps) {
  const { type, resource, documentId, locale, creating, onCreated, conflict, children } = props;
  // The preview panel, when open, takes a column between the fields and the side panel.
  const previewing = usePreviewPanelOpen();
  return (
    <Form warnWhenUnsavedChanges>
      <EntryBreadcrumbs type={type} resource={resource} creating={creating} />
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          alignItems: 'start',
          gridTemplateColumns: {
            xs: 'minmax(0, 1fr)',
            md: previewing ? 'minmax(0, 1fr) minmax(0, 1fr) 280px' : 'minmax(0, 1fr) 280px',
          },
          mb: { xs: PHONE_ACTIONS_SPACE, md: 0 },
        }}
      >
        <Card>
          <CardContent>
            {conflict ? <EditConflict type={type} resource={resource} locale={locale} state={conflict} /> : null}
            <DraftAutosave resource={resource} documentId={documentId} locale={locale} />
            <Stack sx={{ alignItems: 'flex-start' }}>{children}</Stack>
          </CardContent>
        </Card>
        {creating ? null : <PreviewPanel type={type} locale={locale} />}
        <EntryPanel type={type} creating={creating} locale={locale} onCreated={onCreated} />
      </Box>
    </Form>
  );
}

/**
 * What follows a successful create, by Save or by Publish: the unsaved copy of the new entry is
 * dropped (the entry now exists), and the editor lands on the entry's edit page.
 */
export function useOnCreated(
  resource: string,
  locale: string | undefined,
): {
  onCreated: (record: RaRecord) => void;
  onSuccess: (record: RaRecord) => void;
} {
  const { identity } = useGetIdentity();
  const notify = useNotify();
  const redirect = useRedirect();
  const onCreated = useCallback(
    (record: RaRecord) => {
      if (identity?.id !== undefined) removeDraft({ userId: identity.id, resource, locale });
      const query = locale ? `?locale=${encodeURIComponent(locale)}` : '';
      redirect(() => `/${resource}/${encodeURIComponent(String(record.id))}${query}`);
    },
    [identity?.id, resource, locale, redirect],
  );
  const onSuccess = useCallback(
    (record: RaRecord) => {
      notify('ra.notification.created', { type: 'info', messageArgs: { smart_count: 1 } });
      onCreated(record);
    },
    [notify, onCreated],
  );
  return { onCreated, onSuccess };
}
