// Settings › API tokens for the Content API. The token is in the creation answer only: it is shown
// once, in a dialog with a copy button. Deleting a token revokes it.
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
  useRecordContext,
  WrapperField,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  useCanAccess,
  useNotify,
  useRedirect,
  type RaRecord,
} from 'react-admin';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  TextField as MuiTextField,
} from '@mui/material';
import KeyIcon from '@mui/icons-material/Key';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';

/** The create form's values. */
interface TokenForm extends RaRecord {
  name: string;
  description?: string | null;
  type: string;
  durationDays?: number | string | null;
  allow?: string | null;
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

function TokenDialog({ token, onClose }: { token: string; onClose: () => void }) {
  const notify = useNotify();
  const copy = async () => {
    await navigator.clipboard?.writeText(token);
    notify('Token copied to the clipboard', { type: 'info' });
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby="token-title" maxWidth="sm" fullWidth>
      <DialogTitle id="token-title">Your new API token</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          Copy it now: it will not be shown again.
        </Alert>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <MuiTextField
            value={token}
            label="Token"
            fullWidth
            slotProps={{ input: { readOnly: true } }}
            variant="outlined"
          />
          <Button startIcon={<ContentCopyIcon />} onClick={() => void copy()} variant="outlined">
            Copy
          </Button>
        </Stack>
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
          ...(data.type === 'custom'
            ? {
                allow: String(data.allow ?? '')
                  .split(/[\s,]+/)
                  .filter(Boolean),
              }
            : {}),
        })}
        mutationOptions={{ onSuccess: (data: RaRecord) => setToken(String(data.accessKey)) }}
      >
        <SimpleForm defaultValues={{ type: 'read-only', durationDays: 30 }}>
          <TextInput source="name" validate={required()} />
          <TextInput source="description" multiline />
          <SelectInput source="type" choices={TYPES} validate={required()} />
          <SelectInput source="durationDays" label="Duration" choices={DURATIONS} />
          <FormDataConsumer>
            {({ formData }) =>
              formData.type === 'custom' ? (
                <TextInput
                  source="allow"
                  label="Permissions"
                  helperText="type.action pairs, separated by commas: article.find, article.findOne"
                  validate={required()}
                />
              ) : null
            }
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
