// Settings › Roles: the roles admin users hold; a role's edit page has its permission matrix
// (PermissionMatrix.tsx), saved apart from the name and description by its own route.
import {
  BooleanField,
  Create,
  Datagrid,
  DeleteButton,
  Edit,
  List,
  NumberField,
  required,
  SimpleForm,
  TextField,
  TextInput,
  useCanAccess,
  useRecordContext,
  WrapperField,
  type RaRecord,
} from 'react-admin';
import SecurityIcon from '@mui/icons-material/Security';
import { PermissionMatrix } from './PermissionMatrix';

/** A role as the edit form holds it. */
interface RoleForm extends RaRecord {
  name: string;
  description?: string | null;
}

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
        <TextField sortable={false} source="name" label="folio.roles.fields.name" />
        <TextField sortable={false} source="description" label="folio.roles.fields.description" />
        <NumberField sortable={false} source="usersCount" label="folio.roles.fields.users" />
        <BooleanField sortable={false} source="builtin" label="folio.roles.fields.builtin" />
        <WrapperField label={false}>
          <DeleteUnlessBuiltin />
        </WrapperField>
      </Datagrid>
    </List>
  );
}

const roleForm = (
  <SimpleForm>
    <TextInput source="name" label="folio.roles.fields.name" validate={required()} />
    <TextInput source="description" label="folio.roles.fields.description" multiline minRows={2} />
  </SimpleForm>
);

export function RoleCreate() {
  return <Create redirect="list">{roleForm}</Create>;
}

function RolePermissions() {
  const record = useRecordContext<RaRecord>();
  const { canAccess } = useCanAccess({ resource: 'roles', action: 'update' });
  if (!record) return null;
  return (
    <PermissionMatrix
      key={record.id}
      roleId={record.id}
      superAdmin={record.code === 'super-admin'}
      canUpdate={canAccess === true}
    />
  );
}

export function RoleEdit() {
  return (
    <Edit
      mutationMode="pessimistic"
      redirect={false}
      transform={(data: RoleForm) => ({ name: data.name, description: data.description ?? '' })}
    >
      {roleForm}
      <RolePermissions />
    </Edit>
  );
}

export const roles = { list: RoleList, create: RoleCreate, edit: RoleEdit, icon: SecurityIcon };
