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

// The server's token types, in words (choices are translated).
const TYPES = [
  { id: 'read-only', name: 'folio.tokens.types.read_only' },
  { id: 'full-access', name: 'folio.tokens.types.full_access' },
  { id: 'custom', name: 'folio.tokens.types.custom' },
];

/** How long a new token works, in days; 0 for no end date. */
const DURATIONS = [7, 30, 90, 0];

function useDurationChoices(): { id: number; name: string }[] {
  const translate = useTranslate();
  return DURATIONS.map((days) => ({
    id: days,
    name: days
      ? translate('folio.tokens.durations.days', { smart_count: days })
      : translate('folio.tokens.durations.unlimited'),
  }));
}

function RevokeButton() {
  const record = useRecordContext<RaRecord>();
  if (!record || record.revokedAt) return null;
  return (
    <DeleteButton
      label="folio.tokens.revoke"
      mutationMode="pessimistic"
      confirmTitle="folio.tokens.revoke_title"
      confirmContent="folio.tokens.revoke_content"
      successMessage="folio.tokens.revoked_notice"
    />
  );
}

export function ApiTokenList() {
  const { canAccess: canDelete } = useCanAccess({ resource: 'api-tokens', action: 'delete' });
  return (
    <List pagination={false} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField sortable={false} source="name" label="folio.tokens.fields.name" />
        <TextField sortable={false} source="description" label="folio.tokens.fields.description" />
        <SelectField sortable={false} source="type" label="folio.tokens.fields.type" choices={TYPES} />
        <DateField sortable={false} source="createdAt" label="folio.tokens.fields.created" />
        <DateField
          sortable={false}
          source="expiresAt"
          label="folio.tokens.fields.expires"
          emptyText="folio.tokens.never"
        />
        <DateField
          sortable={false}
          source="lastUsedAt"
          label="folio.tokens.fields.last_used"
          emptyText="folio.tokens.never"
          showTime
        />
        <DateField sortable={false} source="revokedAt" label="folio.tokens.fields.revoked" emptyText="—" />
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
  const translate = useTranslate();
  return (
    <Dialog open onClose={onClose} aria-labelledby="token-title" maxWidth="sm" fullWidth>
      <DialogTitle id="token-title">{translate('folio.tokens.created_title')}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate('folio.tokens.copy_now')}
        </Alert>
        <CopyField value={token} label={translate('folio.tokens.token')} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} variant="contained">
          {translate('folio.tokens.done')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function ApiTokenCreate() {
  const [token, setToken] = useState<string | undefined>();
  const redirect = useRedirect();
  const durations = useDurationChoices();
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
          <TextInput
            source="name"
            label="folio.tokens.fields.name"
            helperText="folio.tokens.name_help"
            validate={required()}
          />
          <TextInput
            source="description"
            label="folio.tokens.fields.description"
            helperText="folio.tokens.description_help"
            multiline
          />
          <SelectInput
            source="type"
            label="folio.tokens.fields.type"
            helperText="folio.tokens.type_help"
            choices={TYPES}
            validate={required()}
          />
          <SelectInput
            source="durationDays"
            label="folio.tokens.fields.duration"
            helperText="folio.tokens.duration_help"
            choices={durations}
            translateChoice={false}
          />
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
};
