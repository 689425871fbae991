// Settings › Administrators: list, invite (the new user's page then shows the invitation link to
// copy, InvitationPanel, which also re-sends it), edit roles, deactivate. Only what the role may do
// is offered; the server enforces it anyway.
import {
  BooleanField,
  BooleanInput,
  ChipField,
  Create,
  Datagrid,
  DateField,
  DeleteButton,
  Edit,
  email,
  FunctionField,
  List,
  required,
  SaveButton,
  SearchInput,
  SelectArrayInput,
  SimpleForm,
  TextField,
  TextInput,
  Toolbar,
  useCanAccess,
  useGetList,
  useNotify,
  useRedirect,
  useTranslate,
  WrapperField,
  type RaRecord,
} from 'react-admin';
import { Box, Stack } from '@mui/material';
import PeopleIcon from '@mui/icons-material/People';
import { InvitationPanel } from './InvitationPanel';

/** A user as the edit form holds it (roles as loaded, or as ids once changed). */
interface UserForm extends RaRecord {
  email: string;
  firstname: string | null;
  lastname: string | null;
  isActive: boolean;
  roles: (RoleRef | number)[];
}

interface RoleRef {
  id: number;
  code: string;
  name: string;
}

function RoleChips({ record }: { record: RaRecord }) {
  const roles = (record.roles ?? []) as RoleRef[];
  return (
    <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap' }}>
      {roles.map((role) => (
        <ChipField key={role.id} record={role} source="name" size="small" />
      ))}
    </Stack>
  );
}

export function UserList() {
  const translate = useTranslate();
  const { canAccess: canDelete } = useCanAccess({ resource: 'users', action: 'delete' });
  // SearchInput hands its placeholder to the input as it is: it is translated here.
  const filters = [<SearchInput key="q" source="q" alwaysOn placeholder={translate('folio.users.search')} />];
  return (
    <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <FunctionField
          label="folio.users.fields.name"
          sortBy="lastname"
          render={(r: RaRecord) => `${r.firstname ?? ''} ${r.lastname ?? ''}`.trim() || '—'}
        />
        <TextField source="email" label="folio.users.fields.email" />
        <FunctionField
          label="folio.users.fields.roles"
          sortable={false}
          render={(r: RaRecord) => <RoleChips record={r} />}
        />
        <BooleanField source="isActive" label="folio.users.fields.active" />
        <FunctionField
          label="folio.users.fields.status"
          sortable={false}
          render={(r: RaRecord) =>
            translate(r.registered ? 'folio.users.status.registered' : 'folio.users.status.invited')
          }
        />
        <DateField source="createdAt" label="folio.users.fields.created" />
        {canDelete ? (
          <WrapperField label={false}>
            <DeleteButton mutationMode="pessimistic" successMessage="folio.users.removed" />
          </WrapperField>
        ) : null}
      </Datagrid>
    </List>
  );
}

function RolesInput() {
  const { data: roles, isPending } = useGetList<RoleRef>('roles', {
    pagination: { page: 1, perPage: 100 },
    sort: { field: 'name', order: 'ASC' },
  });
  return (
    <SelectArrayInput
      source="roles"
      label="folio.users.fields.roles"
      helperText="folio.users.roles_help"
      choices={roles ?? []}
      isPending={isPending}
      optionText="name"
      optionValue="id"
      validate={required()}
      // The record holds role objects; the API takes their ids.
      format={(value: unknown) =>
        Array.isArray(value) ? value.map((r: RoleRef | number) => (typeof r === 'object' ? r.id : r)) : []
      }
    />
  );
}

/** What the invite form and the edit form share: email, names and roles. */
function UserFields() {
  return (
    <>
      <TextInput
        source="email"
        label="folio.users.fields.email"
        type="email"
        validate={[required(), email()]}
        helperText="folio.users.email_help"
      />
      <Box sx={{ display: 'flex', gap: 2, width: '100%' }}>
        <TextInput source="firstname" label="folio.users.fields.firstname" />
        <TextInput source="lastname" label="folio.users.fields.lastname" />
      </Box>
      <RolesInput />
    </>
  );
}

export function UserCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Create
      title="folio.users.invite_title"
      redirect={false}
      mutationOptions={{
        onSuccess: (data: RaRecord) => {
          notify('folio.invitations.created', { type: 'success', messageArgs: { email: String(data.email) } });
          const meta = data.$meta as { invitationUrl?: string; emailed?: boolean } | undefined;
          // The link is in this answer only: it goes to the user's page in the navigation's state.
          const invitation = meta?.invitationUrl
            ? { invitationUrl: meta.invitationUrl, emailed: meta.emailed === true }
            : undefined;
          redirect('edit', 'users', data.id, data, { invitation, userId: data.id });
        },
      }}
    >
      <SimpleForm>
        <UserFields />
      </SimpleForm>
    </Create>
  );
}

function UserEditToolbar() {
  return (
    <Toolbar>
      <SaveButton />
    </Toolbar>
  );
}

export function UserEdit() {
  return (
    <Edit
      mutationMode="pessimistic"
      transform={(data: UserForm) => ({
        email: data.email,
        firstname: data.firstname,
        lastname: data.lastname,
        isActive: data.isActive,
        roles: data.roles.map((r) => (typeof r === 'object' ? r.id : r)),
      })}
    >
      <InvitationPanel />
      <SimpleForm toolbar={<UserEditToolbar />}>
        <UserFields />
        <BooleanInput source="isActive" label="folio.users.fields.active" helperText="folio.users.active_help" />
      </SimpleForm>
    </Edit>
  );
}

export const users = {
  list: UserList,
  create: UserCreate,
  edit: UserEdit,
  icon: PeopleIcon,
};
