// The content manager's screens, generated per content type: list (sortable columns, search, status
// and per-attribute filters, bulk publish and delete), create and edit forms (draft until published;
// Publish / Unpublish / Discard on the edit page when the role has them), and single types as one
// form. Every action is also checked by the server; the UI only hides what the role cannot do.
import { useState, type ReactElement } from 'react';
import {
  BooleanField,
  BooleanInput,
  BulkDeleteButton,
  Button,
  Create,
  Datagrid,
  DateField,
  DeleteButton,
  Edit,
  FunctionField,
  List,
  NumberField,
  ReferenceField,
  Resource,
  SaveButton,
  SearchInput,
  SelectInput,
  SimpleForm,
  TextField,
  Toolbar,
  TopToolbar,
  useListContext,
  useNotify,
  useRecordContext,
  useRefresh,
  useUnselectAll,
  type RaRecord,
} from 'react-admin';
import { Autocomplete, Chip, Stack, TextField as MuiTextField, Tooltip } from '@mui/material';
import { useSearchParams } from 'react-router-dom';
import ArticleIcon from '@mui/icons-material/Article';
import PublishIcon from '@mui/icons-material/Publish';
import UnpublishedIcon from '@mui/icons-material/Unpublished';
import UndoIcon from '@mui/icons-material/Undo';
import { AttributeInput } from './inputs';
import { bulkPublish, documentAction } from './data';
import { collectionResource, contentType, isToMany, labelOf, singleResource, type ContentSchema, type ContentTypeInfo } from './schema';

type DocumentState = 'draft' | 'published' | 'modified';

const STATE_LABEL: Record<DocumentState, string> = { draft: 'Draft', published: 'Published', modified: 'Modified' };
const STATE_COLOR: Record<DocumentState, 'default' | 'success' | 'warning'> = { draft: 'default', published: 'success', modified: 'warning' };

export function StatusChip({ record }: { record?: RaRecord }) {
  const context = useRecordContext();
  const state = ((record ?? context)?.__status ?? 'draft') as DocumentState;
  const chip = <Chip size="small" label={STATE_LABEL[state]} color={STATE_COLOR[state]} variant={state === 'draft' ? 'outlined' : 'filled'} />;
  // "Modified" means the draft has changes the published version does not show yet.
  return state === 'modified' ? <Tooltip title="Changed since published">{chip}</Tooltip> : chip;
}

/** Attributes shown as list columns: short scalars and to-one relations, the main field first, at most five. */
function listColumns(type: ContentTypeInfo): [string, ContentTypeInfo['attributes'][string]][] {
  const simple = new Set(['string', 'email', 'uid', 'integer', 'biginteger', 'float', 'decimal', 'boolean', 'date', 'datetime', 'enumeration']);
  const toOne = (a: ContentTypeInfo['attributes'][string]) => a.type === 'relation' && !isToMany(a) && contentType(a.target ?? '') !== undefined;
  const entries = Object.entries(type.attributes).filter(([, a]) => (simple.has(a.type) || toOne(a)) && !a.private);
  entries.sort(([a], [b]) => (a === type.mainField ? -1 : b === type.mainField ? 1 : 0));
  return entries.slice(0, 5);
}

function column(name: string, attribute: ContentTypeInfo['attributes'][string]): ReactElement {
  const label = labelOf(name);
  switch (attribute.type) {
    case 'relation':
      return <ReferenceField key={name} source={name} label={label} reference={collectionResource(attribute.target ?? '')} link={false} sortable={false} emptyText="—" />;
    case 'integer': case 'float': case 'decimal':
      return <NumberField key={name} source={name} label={label} />;
    case 'boolean':
      return <BooleanField key={name} source={name} label={label} />;
    case 'date':
      return <DateField key={name} source={name} label={label} />;
    case 'datetime':
      return <DateField key={name} source={name} label={label} showTime />;
    default:
      return <TextField key={name} source={name} label={label} />;
  }
}

function filtersOf(type: ContentTypeInfo): ReactElement[] {
  const filters: ReactElement[] = [<SearchInput key="q" source="q" alwaysOn placeholder="Search" />];
  if (type.localized) {
    filters.push(<SelectInput key="locale" source="locale" label="Locale" alwaysOn choices={(type.locales ?? ['en']).map((l) => ({ id: l, name: l }))} validate={undefined} emptyText="Default locale" />);
  }
  if (type.draftAndPublish) {
    filters.push(
      <SelectInput key="status" source="status" label="Status" alwaysOn emptyText="Any status" choices={[
        { id: 'draft', name: 'Draft' }, { id: 'published', name: 'Published' }, { id: 'modified', name: 'Modified' },
      ]} />,
    );
  }
  for (const [name, attribute] of Object.entries(type.attributes)) {
    if (attribute.private) continue;
    if (attribute.type === 'enumeration') {
      filters.push(<SelectInput key={name} source={name} label={labelOf(name)} choices={(attribute.enum ?? []).map((v) => ({ id: v, name: v }))} />);
    } else if (attribute.type === 'boolean') {
      filters.push(<BooleanInput key={name} source={name} label={labelOf(name)} />);
    }
  }
  return filters;
}

/** The locale being edited, kept in the URL (?locale=fr) so that it survives reloads and links. */
function useLocale(type: ContentTypeInfo): [string | undefined, (locale: string) => void] {
  const [params, setParams] = useSearchParams();
  const locale = type.localized ? (params.get('locale') ?? undefined) : undefined;
  return [locale, (next) => setParams(next === (type.locales?.[0] ?? 'en') ? {} : { locale: next })];
}

/** Switches between the document's locales, or starts one in another configured locale (Settings › Locales). */
function LocaleSwitcher({ type }: { type: ContentTypeInfo }) {
  const record = useRecordContext();
  const [locale, setLocale] = useLocale(type);
  if (!type.localized) return null;
  const current = locale ?? type.locales?.[0] ?? 'en';
  const options = [...new Set([...(type.locales ?? []), ...((record?.__locales as string[] | undefined) ?? []), current])];
  const has = (l: string) => ((record?.__locales as string[] | undefined) ?? []).includes(l);
  return (
    <Autocomplete
      autoHighlight
      disableClearable
      size="small"
      options={options}
      value={current}
      sx={{ width: 180 }}
      getOptionLabel={(o) => (has(o) || !record ? o : `${o} (new)`)}
      onChange={(_, value) => {
        if (value) setLocale(value);
      }}
      renderInput={(params) => <MuiTextField {...params} label="Locale" />}
    />
  );
}

function BulkPublishButton({ type }: { type: ContentTypeInfo }) {
  const { selectedIds } = useListContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll(collectionResource(type.uid));
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const result = await bulkPublish(type.uid, selectedIds.map(String));
      if (result.failed.length) notify(`${result.count} published; ${result.failed.length} could not be: ${result.failed[0].message}`, { type: 'warning' });
      else notify(`${result.count} published`, { type: 'success' });
      unselectAll();
      refresh();
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return <Button label="Publish" onClick={() => void run()} disabled={busy}><PublishIcon /></Button>;
}

function ContentDatagrid({ type, bulk }: { type: ContentTypeInfo; bulk: ReactElement | false }) {
  const { filterValues } = useListContext();
  const locale = typeof filterValues.locale === 'string' ? filterValues.locale : undefined;
  // A row opens the version of the locale the list shows.
  const rowClick = (id: string | number) => `/${collectionResource(type.uid)}/${encodeURIComponent(String(id))}${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`;
  return (
    <Datagrid rowClick={type.actions.includes('update') ? rowClick : false} bulkActionButtons={bulk}>
      {listColumns(type).map(([name, attribute]) => column(name, attribute))}
      {type.localized ? <TextField source="locale" label="Locale" sortable={false} /> : null}
      {type.draftAndPublish ? <FunctionField label="Status" sortable={false} render={(r: RaRecord) => <StatusChip record={r} />} /> : null}
      <DateField source="updatedAt" label="Updated" showTime />
    </Datagrid>
  );
}

function ContentList({ type }: { type: ContentTypeInfo }) {
  const canDelete = type.actions.includes('delete');
  const canPublish = type.draftAndPublish && type.actions.includes('publish');
  const bulk = canDelete || canPublish ? (
    <>
      {canPublish ? <BulkPublishButton type={type} /> : null}
      {canDelete ? <BulkDeleteButton mutationMode="pessimistic" /> : null}
    </>
  ) : false;
  return (
    <List resource={collectionResource(type.uid)} filters={filtersOf(type)} sort={{ field: 'updatedAt', order: 'DESC' }} title={type.displayName} exporter={false}>
      <ContentDatagrid type={type} bulk={bulk} />
    </List>
  );
}

function Inputs({ type }: { type: ContentTypeInfo }) {
  return (
    <>
      {Object.entries(type.attributes).map(([name, attribute]) => (
        <AttributeInput key={name} uid={type.uid} name={name} attribute={attribute} source={name} />
      ))}
    </>
  );
}

function ContentCreate({ type }: { type: ContentTypeInfo }) {
  const [locale] = useLocale(type);
  return (
    <Create resource={collectionResource(type.uid)} title={`New ${type.displayName}${locale ? ` (${locale})` : ''}`} redirect={(resource, id) => `/${resource}/${encodeURIComponent(String(id))}${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`} mutationOptions={{ meta: { locale } }}>
      <SimpleForm warnWhenUnsavedChanges>
        <Inputs type={type} />
      </SimpleForm>
    </Create>
  );
}

/** Publish / Unpublish / Discard changes: only what the document's state and the role allow. */
function DocumentActions({ type, single }: { type: ContentTypeInfo; single?: boolean }) {
  const record = useRecordContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const documentId = String((single ? record?.$documentId : record?.documentId) ?? '');
  if (!type.draftAndPublish || !record || !documentId || record.__newLocale) return null;
  const state = (record.__status ?? 'draft') as DocumentState;
  const run = async (action: 'publish' | 'unpublish' | 'discard', done: string) => {
    setBusy(true);
    try {
      await documentAction(type.uid, documentId, action, type.localized && typeof record.locale === 'string' ? record.locale : undefined);
      notify(done, { type: 'success' });
      refresh();
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const canPublish = type.actions.includes('publish');
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <StatusChip />
      {canPublish && state !== 'published' ? <Button label="Publish" variant="contained" disabled={busy} onClick={() => void run('publish', 'Published')}><PublishIcon /></Button> : null}
      {canPublish && state !== 'draft' ? <Button label="Unpublish" disabled={busy} onClick={() => void run('unpublish', 'Unpublished')}><UnpublishedIcon /></Button> : null}
      {type.actions.includes('update') && state === 'modified' ? <Button label="Discard changes" disabled={busy} onClick={() => void run('discard', 'Changes discarded')}><UndoIcon /></Button> : null}
    </Stack>
  );
}

function EditToolbar({ type }: { type: ContentTypeInfo }) {
  return (
    <Toolbar sx={{ justifyContent: 'space-between' }}>
      <SaveButton label="Save draft" />
      {type.actions.includes('delete') ? <DeleteButton mutationMode="pessimistic" /> : null}
    </Toolbar>
  );
}

function ContentEdit({ type }: { type: ContentTypeInfo }) {
  const [locale] = useLocale(type);
  return (
    <Edit
      key={locale ?? ''}
      resource={collectionResource(type.uid)}
      title={type.displayName}
      mutationMode="pessimistic"
      redirect={false}
      queryOptions={{ meta: { locale } }}
      mutationOptions={{ meta: { locale } }}
      actions={<TopToolbar sx={{ alignItems: 'center' }}><LocaleSwitcher type={type} /><DocumentActions type={type} /></TopToolbar>}
    >
      <SimpleForm toolbar={<EditToolbar type={type} />} warnWhenUnsavedChanges>
        <Inputs type={type} />
      </SimpleForm>
    </Edit>
  );
}

function SingleTypeEdit({ type }: { type: ContentTypeInfo }) {
  const [locale] = useLocale(type);
  return (
    <Edit
      key={locale ?? ''}
      resource={singleResource(type.uid)}
      id="single"
      title={type.displayName}
      mutationMode="pessimistic"
      redirect={false}
      queryOptions={{ meta: { locale } }}
      mutationOptions={{ meta: { locale } }}
      actions={<TopToolbar sx={{ alignItems: 'center' }}><LocaleSwitcher type={type} /><DocumentActions type={type} single /></TopToolbar>}
    >
      <SimpleForm toolbar={<Toolbar><SaveButton label={type.draftAndPublish ? 'Save draft' : 'Save'} /></Toolbar>} warnWhenUnsavedChanges>
        <Inputs type={type} />
      </SimpleForm>
    </Edit>
  );
}

/** One Resource per readable content type (react-admin resolves them after sign-in). */
export function contentResources(schema: ContentSchema): ReactElement[] {
  return schema.contentTypes.map((type) => {
    const options = { label: type.displayName, content: true };
    if (type.kind === 'singleType') {
      return <Resource key={type.uid} name={singleResource(type.uid)} options={options} icon={ArticleIcon} list={() => <SingleTypeEdit type={type} />} />;
    }
    return (
      <Resource
        key={type.uid}
        name={collectionResource(type.uid)}
        options={options}
        icon={ArticleIcon}
        recordRepresentation={(r: RaRecord) => String((type.mainField ? r[type.mainField] : undefined) ?? r.documentId)}
        list={() => <ContentList type={type} />}
        create={type.actions.includes('create') ? () => <ContentCreate type={type} /> : undefined}
        edit={() => <ContentEdit type={type} />}
      />
    );
  });
}
