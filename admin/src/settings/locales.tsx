// Settings › Locales: the languages localized content may be written in. One is the default (what a
// request without ?locale= reads and writes; English on a new installation): it cannot be removed,
// another locale can be made the default instead. A locale entries are written in cannot be removed
// until those versions are gone — the server says which types hold them.
import {
  BooleanInput,
  Create,
  Datagrid,
  DeleteButton,
  Edit,
  FunctionField,
  List,
  regex,
  required,
  SimpleForm,
  TextField,
  TextInput,
  useCanAccess,
  useRecordContext,
  type RaRecord,
} from 'react-admin';
import { Chip } from '@mui/material';
import TranslateIcon from '@mui/icons-material/Translate';

/** A locale as the edit form holds it. */
interface LocaleRecord extends RaRecord {
  name: string;
  isDefault?: boolean;
}

const CODE = regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'A language code and optional subtags, like fr or pt-BR');

function RemoveButton() {
  const record = useRecordContext<RaRecord>();
  const { canAccess } = useCanAccess({ resource: 'settings', action: 'delete' });
  if (!record || record.isDefault || !canAccess) return null;
  return (
    <DeleteButton
      mutationMode="pessimistic"
      confirmTitle={`Remove ${record.code}?`}
      confirmContent="Editors will no longer be able to write in this locale."
    />
  );
}

export function LocaleList() {
  const { canAccess: canEdit } = useCanAccess({ resource: 'settings', action: 'update' });
  return (
    <List pagination={false} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick={canEdit ? 'edit' : false}>
        <TextField sortable={false} source="code" />
        <TextField sortable={false} source="name" />
        <FunctionField
          label="Default"
          render={(r: RaRecord) => (r.isDefault ? <Chip size="small" color="primary" label="Default" /> : null)}
        />
        <RemoveButton />
      </Datagrid>
    </List>
  );
}

export function LocaleCreate() {
  return (
    <Create redirect="list">
      <SimpleForm>
        <TextInput source="code" validate={[required(), CODE]} helperText="As sites will ask for it: ?locale=fr" />
        <TextInput source="name" helperText="How editors see it, e.g. French (fr)" />
      </SimpleForm>
    </Create>
  );
}

function DefaultInput() {
  const record = useRecordContext<RaRecord>();
  return (
    <BooleanInput
      source="isDefault"
      label="Default locale"
      disabled={record?.isDefault === true}
      helperText={
        record?.isDefault
          ? 'Make another locale the default to change it.'
          : 'Requests without ?locale= will read and write this locale.'
      }
    />
  );
}

export function LocaleEdit() {
  return (
    <Edit
      mutationMode="pessimistic"
      transform={(data: LocaleRecord, options?: { previousData?: LocaleRecord }) => ({
        name: data.name,
        // The server takes only `true`: a default is changed by choosing another one.
        ...(data.isDefault === true && options?.previousData?.isDefault !== true ? { isDefault: true } : {}),
      })}
    >
      <SimpleForm>
        <TextInput source="code" disabled />
        <TextInput source="name" validate={required()} />
        <DefaultInput />
      </SimpleForm>
    </Edit>
  );
}

export const locales = {
  list: LocaleList,
  create: LocaleCreate,
  edit: LocaleEdit,
  icon: TranslateIcon,
  options: { label: 'Locales' },
};
