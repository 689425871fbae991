// The content manager's screens, generated per content type: list (sortable columns, search, status
// and per-attribute filters, bulk publish and delete), create and edit forms (EntryForm: the fields
// beside a side panel with the entry's state and actions), and single types as one form. Every
// action is also checked by the server; the UI only hides what the role cannot do.
import { useState, type ReactElement } from 'react';
import {
  BooleanField,
  BooleanInput,
  BulkDeleteButton,
  Button,
  Create,
  Datagrid,
  DateField,
  Edit,
  FunctionField,
  List,
  NumberField,
  ReferenceField,
  Resource,
  SearchInput,
  SelectInput,
  TextField,
  useListContext,
  useNotify,
  useRefresh,
  useUnselectAll,
  type RaRecord,
} from 'react-admin';
import { useParams } from 'react-router-dom';
import ArticleIcon from '@mui/icons-material/Article';
import PublishIcon from '@mui/icons-material/Publish';
import { bulkPublish } from './data';
import { EntryFields } from './EntryFields';
import { EntryForm, useOnCreated } from './EntryForm';
import { EntryTitle } from './EntryTitle';
import { useLocale } from './locale';
import { useEditConflict } from './useEditConflict';
import { StatusChip } from './StatusChip';
import {
  collectionResource,
  contentType,
  isToMany,
  labelOf,
  singleResource,
  type ContentSchema,
  type ContentTypeInfo,
} from './schema';

/** Attributes shown as list columns: short scalars and to-one relations, the main field first, at most five. */
function listColumns(type: ContentTypeInfo): [string, ContentTypeInfo['attributes'][string]][] {
  const simple = new Set([
    'string',
    'email',
    'uid',
    'integer',
    'biginteger',
    'float',
    'decimal',
    'boolean',
    'date',
    'datetime',
    'enumeration',
  ]);
  const toOne = (a: ContentTypeInfo['attributes'][string]) =>
    a.type === 'relation' && !isToMany(a) && contentType(a.target ?? '') !== undefined;
  const entries = Object.entries(type.attributes).filter(([, a]) => (simple.has(a.type) || toOne(a)) && !a.private);
  entries.sort(([a], [b]) => (a === type.mainField ? -1 : b === type.mainField ? 1 : 0));
  return entries.slice(0, 5);
}

function column(name: string, attribute: ContentTypeInfo['attributes'][string]): ReactElement {
  const label = labelOf(name);
  switch (attribute.type) {
    case 'relation':
      return (
        <ReferenceField
          key={name}
          source={name}
          label={label}
          reference={collectionResource(attribute.target ?? '')}
          link={false}
          sortable={false}
          emptyText="—"
        />
      );
    case 'integer':
    case 'float':
    case 'decimal':
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
    filters.push(
      <SelectInput
        key="locale"
        source="locale"
        label="Locale"
        alwaysOn
        choices={(type.locales ?? ['en']).map((l) => ({ id: l, name: l }))}
        validate={undefined}
        emptyText="Default locale"
      />,
    );
  }
  if (type.draftAndPublish) {
    filters.push(
      <SelectInput
        key="status"
        source="status"
        label="Status"
        alwaysOn
        emptyText="Any status"
        choices={[
          { id: 'draft', name: 'Draft' },
          { id: 'published', name: 'Published' },
          { id: 'modified', name: 'Modified' },
        ]}
      />,
    );
  }
  for (const [name, attribute] of Object.entries(type.attributes)) {
    if (attribute.private) continue;
    if (attribute.type === 'enumeration') {
      filters.push(
        <SelectInput
          key={name}
          source={name}
          label={labelOf(name)}
          choices={(attribute.enum ?? []).map((v) => ({ id: v, name: v }))}
        />,
      );
    } else if (attribute.type === 'boolean') {
      filters.push(<BooleanInput key={name} source={name} label={labelOf(name)} />);
    }
  }
  return filters;
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
      if (result.failed.length)
        notify(`${result.count} published; ${result.failed.length} could not be: ${result.failed[0].message}`, {
          type: 'warning',
        });
      else notify(`${result.count} published`, { type: 'success' });
      unselectAll();
      refresh();
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button label="Publish" onClick={() => void run()} disabled={busy}>
      <PublishIcon />
    </Button>
  );
}

function ContentDatagrid({ type, bulk }: { type: ContentTypeInfo; bulk: ReactElement | false }) {
  // react-admin types the list's filters as `any`; the locale is one of them, when chosen.
  const filterValues = useListContext().filterValues as Record<string, unknown>;
  const locale = typeof filterValues.locale === 'string' ? filterValues.locale : undefined;
  // A row opens the version of the locale the list shows.
  const rowClick = (id: string | number) =>
    `/${collectionResource(type.uid)}/${encodeURIComponent(String(id))}` +
    `${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`;
  return (
    <Datagrid rowClick={type.actions.includes('update') ? rowClick : false} bulkActionButtons={bulk}>
      {listColumns(type).map(([name, attribute]) => column(name, attribute))}
      {type.localized ? <TextField source="locale" label="Locale" sortable={false} /> : null}
      {type.draftAndPublish ? (
        <FunctionField label="Status" sortable={false} render={(r: RaRecord) => <StatusChip record={r} />} />
      ) : null}
      <DateField source="updatedAt" label="Updated" showTime />
    </Datagrid>
  );
}

function ContentList({ type }: { type: ContentTypeInfo }) {
  const canDelete = type.actions.includes('delete');
  const canPublish = type.draftAndPublish && type.actions.includes('publish');
  const bulk =
    canDelete || canPublish ? (
      <>
        {canPublish ? <BulkPublishButton type={type} /> : null}
        {canDelete ? <BulkDeleteButton mutationMode="pessimistic" /> : null}
      </>
    ) : (
      false
    );
  return (
    <List
      resource={collectionResource(type.uid)}
      filters={filtersOf(type)}
      sort={{ field: 'updatedAt', order: 'DESC' }}
      title={type.displayName}
      exporter={false}
    >
      <ContentDatagrid type={type} bulk={bulk} />
    </List>
  );
}

function ContentCreate({ type }: { type: ContentTypeInfo }) {
  const [locale] = useLocale(type);
  const resource = collectionResource(type.uid);
  const { onCreated, onSuccess } = useOnCreated(resource, locale);
  return (
    <Create
      resource={resource}
      title={<EntryTitle type={type} creating />}
      component="div"
      mutationOptions={{ meta: { locale }, onSuccess }}
    >
      <EntryForm type={type} resource={resource} locale={locale} creating onCreated={onCreated}>
        <EntryFields type={type} />
      </EntryForm>
    </Create>
  );
}

function ContentEdit({ type }: { type: ContentTypeInfo }) {
  const [locale] = useLocale(type);
  const { id } = useParams();
  const resource = collectionResource(type.uid);
  const conflict = useEditConflict();
  return (
    <Edit
      key={locale ?? ''}
      resource={resource}
      title={<EntryTitle type={type} />}
      component="div"
      actions={false}
      mutationMode="pessimistic"
      redirect={false}
      queryOptions={{ meta: { locale } }}
      mutationOptions={{ meta: { locale }, onError: conflict.onError }}
    >
      <EntryForm type={type} resource={resource} documentId={id} locale={locale} conflict={conflict}>
        <EntryFields type={type} />
      </EntryForm>
    </Edit>
  );
}

function SingleTypeEdit({ type }: { type: ContentTypeInfo }) {
  const [locale] = useLocale(type);
  const resource = singleResource(type.uid);
  const conflict = useEditConflict();
  return (
    <Edit
      key={locale ?? ''}
      resource={resource}
      id="single"
      title={<EntryTitle type={type} />}
      component="div"
      actions={false}
      mutationMode="pessimistic"
      redirect={false}
      queryOptions={{ meta: { locale } }}
      mutationOptions={{ meta: { locale }, onError: conflict.onError }}
    >
      <EntryForm type={type} resource={resource} documentId="single" locale={locale} conflict={conflict}>
        <EntryFields type={type} />
      </EntryForm>
    </Edit>
  );
}

/** One Resource per readable content type (react-admin resolves them after sign-in). */
export function contentResources(schema: ContentSchema): ReactElement[] {
  return schema.contentTypes.map((type) => {
    const options = { label: type.displayName, content: true };
    if (type.kind === 'singleType') {
      return (
        <Resource
          key={type.uid}
          name={singleResource(type.uid)}
          options={options}
          icon={ArticleIcon}
          list={() => <SingleTypeEdit type={type} />}
        />
      );
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
