// Settings › Roles: the roles admin users hold. (The permission matrix arrives with the content
// types; the catalogue is at GET /admin-api/permissions/catalogue.)
import { BooleanField, Create, Datagrid, DeleteButton, Edit, List, NumberField, required, SimpleForm, TextField, TextInput, useCanAccess, useRecordContext, WrapperField, type RaRecord } from 'react-admin';
import SecurityIcon from '@mui/icons-material/Security';

function DeleteUnlessBuiltin() {
  const record = useRecordContext<RaRecord>();
  const { canAccess } = useCanAccess({ resource: 'roles', action: 'delete' });
  if (!record || record.builtin || !canAccess) return null;
  return <DeleteButton mutationMode="pessimistic" />;
}

export function RoleList() {
  return (
    <List pagination={false} exporter={false}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField sortable={false} source="name" />
        <TextField sortable={false} source="description" />
        <NumberField sortable={false} source="usersCount" label="Users" />
        <BooleanField sortable={false} source="builtin" label="Built-in" />
        <WrapperField label={false}>
          <DeleteUnlessBuiltin />
        </WrapperField>
      </Datagrid>
    </List>
  );
}

const roleForm = (
  <SimpleForm>
    <TextInput source="name" validate={required()} />
    <TextInput source="description" multiline minRows={2} />
  </SimpleForm>
);

export function RoleCreate() {
  return <Create redirect="list">{roleForm}</Create>;
}

export function RoleEdit() {
  return (
    <Edit mutationMode="pessimistic" transform={(data: RaRecord) => ({ name: data.name, description: data.description ?? '' })}>
      {roleForm}
    </Edit>
  );
}

export const roles = { list: RoleList, create: RoleCreate, edit: RoleEdit, icon: SecurityIcon };
