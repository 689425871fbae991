// Settings › API tokens for the Content API. The token is in the creation answer only: it is shown
// once, in a dialog with a copy button. Deleting a token revokes it. A custom token's permissions
// are chosen in the roles page's matrix, with the Content API's actions (ContentApiMatrix).
import { useState } from 'react';
import {
  Create,
  Datagrid,
  DateField,
  DeleteButton,
  FormDataConsumer,
  List,
  required,
  SelectField,
  useInput,
  useRecordContext,
  useTranslate,
  ValidationError,
  WrapperField,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  useCanAccess,
  useRedirect,
  type RaRecord,
} from 'react-admin';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  Typography,
} from '@mui/material';
import KeyIcon from '@mui/icons-material/Key';
import { CopyField } from './CopyField';
import { ContentApiMatrix } from './PermissionMatrix';
import { useAdminApi, type Catalogue } from './permissions';

/** The create form's values. */
interface TokenForm extends RaRecord {
  name: string;
  description?: string | null;
  type: string;
  durationDays?: number | string | null;
  /** A custom token's Content API permissions: "type.action" items, as the server takes them. */
  allow?: string[];
}

const TYPES = [
  { id: 'read-only', name: 'Read-only' },
  { id: 'full-access', name: 'Full access' },
  { id: 'custom', name: 'Custom' },
];

const DURATIONS = [
  { id: 7, name: '7 days' },
  { id: 30, name: '30 days' },
  { id: 90, name: '90 days' },
  { id: 0, name: 'Unlimited' },
];

function RevokeButton() {
  const record = useRecordContext<RaRecord>();
  if (!record || record.revokedAt) return null;
  return (
    <DeleteButton
      label="Revoke"
      mutationMode="pessimistic"
      confirmTitle="Revoke this token?"
      confirmContent="Clients using it will get 401 from now on."
    />
  );
}

export function ApiTokenList() {
  const { canAccess: canDelete } = useCanAccess({ resource: 'api-tokens', action: 'delete' });
  return (
    <List pagination={false} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField sortable={false} source="name" />
        <TextField sortable={false} source="description" />
        <SelectField sortable={false} source="type" choices={TYPES} />
        <DateField sortable={false} source="createdAt" label="Created" />
        <DateField sortable={false} source="expiresAt" label="Expires" emptyText="Never" />
        <DateField sortable={false} source="lastUsedAt" label="Last used" emptyText="Never" showTime />
        <DateField sortable={false} source="revokedAt" label="Revoked" emptyText="—" />
        {canDelete ? (
          <WrapperField label={false}>
            <RevokeButton />
          </WrapperField>
        ) : null}
      </Datagrid>
    </List>
  );
}

/** A custom token needs at least one permission (the server refuses an empty custom token too). */
const atLeastOne = (value: unknown) =>
  Array.isArray(value) && value.length ? undefined : 'folio.tokens.choose_permissions';

/** The custom token's permissions, ticked in the permission matrix. */
function TokenPermissionsInput() {
  const translate = useTranslate();
  const catalogue = useAdminApi<Catalogue>('/permissions/catalogue');
  const { field, fieldState } = useInput<string[]>({ source: 'allow', defaultValue: [], validate: atLeastOne });
  const raw: unknown = field.value;
  const value = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  return (
    <Box component="fieldset" sx={{ border: 0, p: 0, m: 0, mb: 2, width: '100%', minWidth: 0 }}>
      <Typography component="legend" variant="subtitle1">
        {translate('folio.tokens.permissions')}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate('folio.tokens.permissions_help')}
      </Typography>
      {catalogue.error ? <Alert severity="error">{catalogue.error.message}</Alert> : null}
      {catalogue.data ? (
        <ContentApiMatrix
          catalogue={catalogue.data}
          value={value}
          onChange={(allow) => {
            field.onChange(allow);
            field.onBlur();
          }}
          title={translate('folio.tokens.matrix')}
        />
      ) : (
        !catalogue.error && <LinearProgress aria-label={translate('folio.tokens.loading')} />
      )}
      {fieldState.invalid && fieldState.error?.message ? (
        <Typography variant="caption" color="error" role="alert">
          <ValidationError error={fieldState.error.message} />
        </Typography>
      ) : null}
    </Box>
  );
}

function TokenDialog({ token, onClose }: { token: string; onClose: () => void }) {
  return (
    <Dialog open onClose={onClose} aria-labelledby="token-title" maxWidth="sm" fullWidth>
      <DialogTitle id="token-title">Your new API token</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          Copy it now: it will not be shown again.
        </Alert>
        <CopyField value={token} label="Token" />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} variant="contained">
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function ApiTokenCreate() {
  const [token, setToken] = useState<string | undefined>();
  const redirect = useRedirect();
  return (
    <>
      <Create
        redirect={false}
        transform={(data: TokenForm) => ({
          name: data.name,
          description: data.description || undefined,
          type: data.type,
          durationDays: data.durationDays ? Number(data.durationDays) : null,
          ...(data.type === 'custom' ? { allow: [...(data.allow ?? [])].sort() } : {}),
        })}
        mutationOptions={{ onSuccess: (data: RaRecord) => setToken(String(data.accessKey)) }}
      >
        <SimpleForm defaultValues={{ type: 'read-only', durationDays: 30 }}>
          <TextInput source="name" validate={required()} />
          <TextInput source="description" multiline />
          <SelectInput source="type" choices={TYPES} validate={required()} />
          <SelectInput source="durationDays" label="Duration" choices={DURATIONS} />
          <FormDataConsumer>
            {({ formData }) => (formData.type === 'custom' ? <TokenPermissionsInput /> : null)}
          </FormDataConsumer>
        </SimpleForm>
      </Create>
      {token ? (
        <TokenDialog
          token={token}
          onClose={() => {
            setToken(undefined);
            redirect('list', 'api-tokens');
          }}
        />
      ) : null}
    </>
  );
}

export const apiTokens = {
  list: ApiTokenList,
  create: ApiTokenCreate,
  icon: KeyIcon,
  options: { label: 'API tokens' },
};
