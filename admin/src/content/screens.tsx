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
import { Chip, Stack, Tooltip } from '@mui/material';
import ArticleIcon from '@mui/icons-material/Article';
import PublishIcon from '@mui/icons-material/Publish';
import UnpublishedIcon from '@mui/icons-material/Unpublished';
import UndoIcon from '@mui/icons-material/Undo';
import { AttributeInput } from './inputs';
import { bulkPublish, documentAction } from './data';
import { collectionResource, labelOf, singleResource, type ContentSchema, type ContentTypeInfo } from './schema';

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

/** Attributes shown as list columns: short scalars, the main field first, at most five. */
function listColumns(type: ContentTypeInfo): [string, ContentTypeInfo['attributes'][string]][] {
  const simple = new Set(['string', 'email', 'uid', 'integer', 'biginteger', 'float', 'decimal', 'boolean', 'date', 'datetime', 'enumeration']);
  const entries = Object.entries(type.attributes).filter(([, a]) => simple.has(a.type) && !a.private);
  entries.sort(([a], [b]) => (a === type.mainField ? -1 : b === type.mainField ? 1 : 0));
  return entries.slice(0, 5);
}

function column(name: string, type: string): ReactElement {
  const label = labelOf(name);
  switch (type) {
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
      <Datagrid rowClick={type.actions.includes('update') ? 'edit' : false} bulkActionButtons={bulk}>
        {listColumns(type).map(([name, attribute]) => column(name, attribute.type))}
        {type.draftAndPublish ? <FunctionField label="Status" sortable={false} render={(r: RaRecord) => <StatusChip record={r} />} /> : null}
        <DateField source="updatedAt" label="Updated" showTime />
      </Datagrid>
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
  return (
    <Create resource={collectionResource(type.uid)} title={`New ${type.displayName}`} redirect="edit" mutationOptions={{ meta: {} }}>
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
  if (!type.draftAndPublish || !record || !documentId) return null;
  const state = (record.__status ?? 'draft') as DocumentState;
  const run = async (action: 'publish' | 'unpublish' | 'discard', done: string) => {
    setBusy(true);
    try {
      await documentAction(type.uid, documentId, action);
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
  return (
    <Edit resource={collectionResource(type.uid)} title={type.displayName} mutationMode="pessimistic" redirect={false} actions={<TopToolbar><DocumentActions type={type} /></TopToolbar>}>
      <SimpleForm toolbar={<EditToolbar type={type} />} warnWhenUnsavedChanges>
        <Inputs type={type} />
      </SimpleForm>
    </Edit>
  );
}

function SingleTypeEdit({ type }: { type: ContentTypeInfo }) {
  return (
    <Edit resource={singleResource(type.uid)} id="single" title={type.displayName} mutationMode="pessimistic" redirect={false} actions={<TopToolbar><DocumentActions type={type} single /></TopToolbar>}>
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
