// A collection type's list: filters, sortable columns the editor chooses, bulk publish and delete,
// and on a phone a one-column list of cards. Filters, sort and columns are kept per signed-in user
// (userStore.ts). Every action is also checked by the server; the UI only hides what the role
// cannot do.
import { useMemo, type ReactElement } from 'react';
import {
  BulkDeleteButton,
  ColumnsButton,
  CreateButton,
  DataTable,
  FilterButton,
  List,
  Loading,
  SimpleList,
  TopToolbar,
  useGetIdentity,
  useListContext,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { useMediaQuery, type Theme } from '@mui/material';
import ArticleIcon from '@mui/icons-material/Article';
import type { MediaFile } from '../../media/api';
import { collectionResource, type ContentTypeInfo } from '../schema';
import { StatusChip } from '../StatusChip';
import { BulkPublishButton } from './BulkPublishButton';
import { BulkScheduleButton } from './BulkScheduleButton';
import { BulkAddToReleaseButton } from '../../releases/AddToReleaseButton';
import { columnOf, filesOf, MediaThumbnail, useColumnLabel } from './cells';
import { defaultListColumns, listColumns } from './columns';
import { listFilters } from './filters';
import { userListKey } from './userStore';

/** Where a row leads: the entry's edit form, in the locale the list shows. */
function useRowLink(type: ContentTypeInfo): (id: string | number) => string {
  // react-admin types the list's filters as `any`; the locale is one of them, when chosen.
  const filterValues = useListContext().filterValues as Record<string, unknown>;
  const locale = typeof filterValues.locale === 'string' ? filterValues.locale : undefined;
  return (id) =>
    `/${collectionResource(type.uid)}/${encodeURIComponent(String(id))}` +
    `${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`;
}

function BulkActions({ type }: { type: ContentTypeInfo }) {
  const canPublish = type.draftAndPublish && type.actions.includes('publish');
  return (
    <>
      {canPublish ? <BulkPublishButton type={type} /> : null}
      {canPublish ? <BulkScheduleButton type={type} /> : null}
      {canPublish ? <BulkAddToReleaseButton type={type} /> : null}
      {type.actions.includes('delete') ? <BulkDeleteButton mutationMode="pessimistic" /> : null}
    </>
  );
}

function ContentTable({ type, storeKey }: { type: ContentTypeInfo; storeKey: string }) {
  const rowLink = useRowLink(type);
  const labelOf = useColumnLabel();
  const columns = listColumns(type);
  const shown = new Set(defaultListColumns(type));
  const bulk = type.actions.includes('delete') || (type.draftAndPublish && type.actions.includes('publish'));
  return (
    <DataTable
      storeKey={storeKey}
      hiddenColumns={columns.map((c) => c.source).filter((source) => !shown.has(source))}
      rowClick={type.actions.includes('update') ? rowLink : false}
      bulkActionButtons={bulk ? <BulkActions type={type} /> : false}
      // Wide tables (many columns, a tablet) scroll inside their card, never the page sideways: a
      // zero width (stretched back by min-width) keeps the table's width out of the page's.
      sx={{ '& .RaDataTable-tableWrapper': { overflowX: 'auto', width: 0, minWidth: '100%' } }}
    >
      {columns.map((column) => columnOf(column, labelOf(column)))}
    </DataTable>
  );
}

/** A card's picture: the entry's first file, or a page when it has none (not the default person). */
function avatarOf(file: MediaFile | undefined): ReactElement {
  return file ? <MediaThumbnail file={file} /> : <ArticleIcon />;
}

/** At phone width: one card per entry (its first image, title, status and last update). */
function ContentCards({ type }: { type: ContentTypeInfo }) {
  const rowLink = useRowLink(type);
  const translate = useTranslate();
  const main = type.mainField;
  const media = Object.entries(type.attributes).find(([, a]) => a.type === 'media' && !a.private)?.[0];
  const first = (r: RaRecord) => (media ? filesOf(r[media])[0] : undefined);
  return (
    <SimpleList
      primaryText={(r: RaRecord) => String((main ? r[main] : undefined) || translate('folio.lists.untitled'))}
      secondaryText={(r: RaRecord) => (type.draftAndPublish ? <StatusChip record={r} /> : null)}
      tertiaryText={(r: RaRecord) =>
        typeof r.updatedAt === 'string' ? new Date(r.updatedAt).toLocaleDateString() : ''
      }
      leftAvatar={media ? (r: RaRecord) => avatarOf(first(r)) : undefined}
      rowClick={type.actions.includes('update') ? rowLink : false}
    />
  );
}

function Actions({ type, filters, storeKey }: { type: ContentTypeInfo; filters: ReactElement[]; storeKey: string }) {
  const phone = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  return (
    <TopToolbar>
      <FilterButton filters={filters} disableSaveQuery />
      {phone ? null : <ColumnsButton storeKey={storeKey} />}
      {type.actions.includes('create') ? <CreateButton /> : null}
    </TopToolbar>
  );
}

function UserContentList({ type, listKey }: { type: ContentTypeInfo; listKey: string }) {
  const translate = useTranslate();
  const phone = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const filters = useMemo(() => listFilters(type, translate), [type, translate]);
  const tableKey = `${listKey}.datatable`;
  return (
    <List
      resource={collectionResource(type.uid)}
      storeKey={`${listKey}.listParams`}
      // The store alone keeps the list's parameters, not the address: after a sign-out, the next
      // person to sign in is brought back to the page it was on — without taking its filters.
      disableSyncWithLocation
      filters={filters}
      actions={<Actions type={type} filters={filters} storeKey={tableKey} />}
      sort={{ field: 'updatedAt', order: 'DESC' }}
      title={type.displayName}
      exporter={false}
    >
      {phone ? <ContentCards type={type} /> : <ContentTable type={type} storeKey={tableKey} />}
    </List>
  );
}

export function ContentList({ type }: { type: ContentTypeInfo }) {
  // The list's settings are the signed-in user's: wait until we know who that is.
  const { identity } = useGetIdentity();
  if (!identity) return <Loading />;
  return <UserContentList type={type} listKey={userListKey(identity.id, collectionResource(type.uid))} />;
}
