// An entry's name where the editor looks for it: the app bar's page title, the breadcrumbs above
// the form and the browser tab. The name is the main field of the saved version ("Untitled" until
// it has one); a create page says "New <type>".
import { useEffect } from 'react';
import { Link, useCreatePath, useRecordContext, useTranslate, type RaRecord } from 'react-admin';
import { Breadcrumbs, Typography } from '@mui/material';
import type { ContentTypeInfo } from './schema';

export function useEntryName(type: ContentTypeInfo, record: RaRecord | undefined): string {
  const translate = useTranslate();
  if (!record) return translate('folio.content.new_entry', { type: type.displayName });
  const main: unknown = type.mainField ? record[type.mainField] : undefined;
  return typeof main === 'string' && main.trim() ? main : translate('folio.content.untitled');
}

/** The app bar's title (react-admin's `title` prop) and the browser tab's. */
export function EntryTitle({ type, creating }: { type: ContentTypeInfo; creating?: boolean }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const entryName = useEntryName(type, record);
  const newEntry = translate('folio.content.new_entry', { type: type.displayName });
  const name = creating ? newEntry : type.kind === 'singleType' ? type.displayName : entryName;
  useEffect(() => {
    const previous = document.title;
    document.title = `${name} · Folio`;
    return () => {
      document.title = previous;
    };
  }, [name]);
  return <span>{name}</span>;
}

/** Content type › entry, the type linking back to its list. */
export function EntryBreadcrumbs(props: { type: ContentTypeInfo; resource: string; creating?: boolean }) {
  const { type, resource, creating } = props;
  const record = useRecordContext();
  const translate = useTranslate();
  const createPath = useCreatePath();
  const entryName = useEntryName(type, record);
  if (type.kind === 'singleType') return null;
  return (
    <Breadcrumbs aria-label="breadcrumb" sx={{ mb: 1 }}>
      <Link to={createPath({ resource, type: 'list' })} underline="hover" color="inherit">
        {type.displayName}
      </Link>
      <Typography color="text.primary" aria-current="page">
        {creating ? translate('folio.content.new_entry', { type: type.displayName }) : entryName}
      </Typography>
    </Breadcrumbs>
  );
}
