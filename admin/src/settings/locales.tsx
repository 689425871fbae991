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
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { Chip } from '@mui/material';
import TranslateIcon from '@mui/icons-material/Translate';

/** A locale as the edit form holds it. */
interface LocaleRecord extends RaRecord {
  code: string;
  name: string;
  isDefault?: boolean;
}

const CODE = regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'folio.locales.code_invalid');

function RemoveButton() {
  const record = useRecordContext<LocaleRecord>();
  const { canAccess } = useCanAccess({ resource: 'settings', action: 'delete' });
  if (!record || record.isDefault || !canAccess) return null;
  return (
    <DeleteButton
      mutationMode="pessimistic"
      confirmTitle="folio.locales.remove_title"
      titleTranslateOptions={{ name: record.name || record.code }}
      confirmContent="folio.locales.remove_content"
    />
  );
}

export function LocaleList() {
  const translate = useTranslate();
  const { canAccess: canEdit } = useCanAccess({ resource: 'settings', action: 'update' });
  return (
    <List pagination={false} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick={canEdit ? 'edit' : false}>
        <TextField sortable={false} source="code" label="folio.locales.fields.code" />
        <TextField sortable={false} source="name" label="folio.locales.fields.name" />
        <FunctionField
          label="folio.locales.fields.default"
          render={(r: RaRecord) =>
            r.isDefault ? <Chip size="small" color="primary" label={translate('folio.locales.fields.default')} /> : null
          }
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
        <TextInput
          source="code"
          label="folio.locales.fields.code"
          validate={[required(), CODE]}
          helperText="folio.locales.code_help"
        />
        <TextInput source="name" label="folio.locales.fields.name" helperText="folio.locales.name_help" />
      </SimpleForm>
    </Create>
  );
}

function DefaultInput() {
  const record = useRecordContext<RaRecord>();
  return (
    <BooleanInput
      source="isDefault"
      label="folio.locales.fields.is_default"
      disabled={record?.isDefault === true}
      helperText={record?.isDefault ? 'folio.locales.default_help_current' : 'folio.locales.default_help_other'}
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
        <TextInput source="code" label="folio.locales.fields.code" disabled />
        <TextInput source="name" label="folio.locales.fields.name" validate={required()} />
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
