// Settings › Webhooks: URLs that receive Folio's events (Strapi's event names and payloads). The
// edit page sends a test event and shows the delivery log, so an admin can see why a receiver did
// not get what it expected. A signing secret is write-only: the server never sends it back.
import { useCallback, useEffect, useState } from 'react';
import {
  BooleanField,
  BooleanInput,
  CheckboxGroupInput,
  Create,
  Datagrid,
  Edit,
  List,
  PasswordInput,
  required,
  SimpleForm,
  TextField,
  TextInput,
  FunctionField,
  useCanAccess,
  useNotify,
  useRecordContext,
  type RaRecord,
} from 'react-admin';
import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import WebhookIcon from '@mui/icons-material/Webhook';
import SendIcon from '@mui/icons-material/Send';
import RefreshIcon from '@mui/icons-material/Refresh';
import { api } from '../http';

const EVENTS = [
  { id: 'entry.create', name: 'Entry created' },
  { id: 'entry.update', name: 'Entry updated' },
  { id: 'entry.delete', name: 'Entry deleted' },
  { id: 'entry.publish', name: 'Entry published' },
  { id: 'entry.unpublish', name: 'Entry unpublished' },
  { id: 'entry.draft-discard', name: 'Draft discarded' },
  { id: 'media.create', name: 'Media uploaded' },
  { id: 'media.update', name: 'Media updated' },
  { id: 'media.delete', name: 'Media deleted' },
];

// Headers are edited as "Name: value" lines and sent as an object. While the admin types, the
// value stays the text they typed (format passes strings through), so nothing jumps under the cursor.
function headersToText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return '';
  return Object.entries(value as Record<string, string>)
    .map(([name, v]) => `${name}: ${v}`)
    .join('\n');
}

function textToHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of headersToText(value).split('\n')) {
    const at = line.indexOf(':');
    if (!line.trim()) continue;
    if (at < 1) out[line.trim()] = '';
    else out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

function toPayload(data: RaRecord, creating: boolean): Record<string, unknown> {
  const secret = typeof data.secret === 'string' && data.secret ? data.secret : undefined;
  return {
    name: data.name,
    url: data.url,
    events: data.events ?? [],
    enabled: Boolean(data.enabled),
    headers: textToHeaders(data.headers),
    // On edit, an empty secret keeps the current one; "remove" sends null.
    ...(secret ? { secret } : data.removeSecret && !creating ? { secret: null } : {}),
  };
}

export function WebhookList() {
  return (
    <List pagination={false} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick="edit">
        <TextField sortable={false} source="name" />
        <TextField sortable={false} source="url" label="URL" />
        <FunctionField
          label="Events"
          render={(record: RaRecord) => (
            <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
              {(record.events as string[]).map((e) => (
                <Chip key={e} size="small" label={e} />
              ))}
            </Stack>
          )}
        />
        <BooleanField sortable={false} source="enabled" />
        <BooleanField sortable={false} source="signed" label="Signed" />
      </Datagrid>
    </List>
  );
}

function WebhookFields({ creating }: { creating: boolean }) {
  const record = useRecordContext<RaRecord>();
  return (
    <>
      <TextInput source="name" validate={required()} />
      <TextInput
        source="url"
        label="URL"
        type="url"
        validate={required()}
        fullWidth
        helperText="Folio POSTs each event here as JSON"
      />
      <CheckboxGroupInput source="events" choices={EVENTS} validate={required()} />
      <TextInput
        source="headers"
        label="Headers"
        multiline
        minRows={2}
        fullWidth
        format={headersToText}
        helperText="One per line, as Name: value (for example Authorization: Bearer …)"
      />
      <PasswordInput
        source="secret"
        label="Signing secret"
        autoComplete="new-password"
        helperText={
          record?.signed
            ? 'Deliveries are signed. Leave empty to keep the current secret.'
            : 'Optional, 16 characters or more: deliveries then carry X-Folio-Signature'
        }
      />
      {!creating && record?.signed ? <BooleanInput source="removeSecret" label="Stop signing deliveries" /> : null}
      <BooleanInput source="enabled" />
    </>
  );
}

export function WebhookCreate() {
  return (
    <Create redirect="edit" transform={(data: RaRecord) => toPayload(data, true)}>
      <SimpleForm defaultValues={{ enabled: true, events: ['entry.publish', 'entry.unpublish'] }}>
        <WebhookFields creating />
      </SimpleForm>
    </Create>
  );
}

interface Delivery {
  id: number;
  event: string;
  status: 'pending' | 'succeeded' | 'failed' | 'skipped';
  attempts: number;
  nextAttemptAt: string | null;
  responseStatus: number | null;
  error: string | null;
  durationMs: number | null;
  createdAt: string;
}

const STATUS_COLOUR = { pending: 'warning', succeeded: 'success', failed: 'error', skipped: 'default' } as const;

function DeliveryLog() {
  const record = useRecordContext<RaRecord>();
  const [deliveries, setDeliveries] = useState<Delivery[] | undefined>();
  const load = useCallback(async () => {
    if (!record) return;
    const { json } = await api<{ data: Delivery[] }>(`/admin-api/webhooks/${record.id}/deliveries?pageSize=25`);
    setDeliveries(json.data);
  }, [record]);
  // The log follows deliveries as they happen (retries included) while the page is open.
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [load]);
  if (!record) return null;
  return (
    <Card sx={{ mt: 2 }}>
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
          <Typography variant="h6" component="h2">
            Recent deliveries
          </Typography>
          <Button startIcon={<RefreshIcon />} onClick={() => void load()}>
            Refresh deliveries
          </Button>
        </Stack>
        {deliveries && deliveries.length === 0 ? (
          <Typography color="text.secondary">Nothing delivered yet.</Typography>
        ) : null}
        {deliveries && deliveries.length > 0 ? (
          <Table size="small" aria-label="Recent deliveries">
            <TableHead>
              <TableRow>
                <TableCell>Event</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Attempts</TableCell>
                <TableCell>Answer</TableCell>
                <TableCell>When</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {deliveries.map((d) => (
                <TableRow key={d.id}>
                  <TableCell>{d.event}</TableCell>
                  <TableCell>
                    <Chip size="small" color={STATUS_COLOUR[d.status]} label={d.status} />
                  </TableCell>
                  <TableCell>{d.attempts}</TableCell>
                  <TableCell>
                    {d.responseStatus ?? '—'}
                    {d.error ? (
                      <Typography variant="body2" color="error">
                        {d.error}
                      </Typography>
                    ) : null}
                    {d.nextAttemptAt ? (
                      <Typography variant="body2" color="text.secondary">
                        next try {new Date(d.nextAttemptAt).toLocaleString()}
                      </Typography>
                    ) : null}
                  </TableCell>
                  <TableCell>{new Date(d.createdAt).toLocaleString()}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </CardContent>
    </Card>
  );
}

function TriggerButton() {
  const record = useRecordContext<RaRecord>();
  const notify = useNotify();
  const { canAccess } = useCanAccess({ resource: 'webhooks', action: 'update' });
  const [busy, setBusy] = useState(false);
  if (!record || !canAccess) return null;
  const trigger = async () => {
    setBusy(true);
    try {
      const { json } = await api<{
        data: { ok: boolean; status: number | null; error: string | null; durationMs: number };
      }>(`/admin-api/webhooks/${record.id}/trigger`, { method: 'POST' });
      const r = json.data;
      notify(r.ok ? `The receiver answered ${r.status} in ${r.durationMs} ms` : `Not delivered: ${r.error}`, {
        type: r.ok ? 'success' : 'warning',
      });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button startIcon={<SendIcon />} variant="outlined" disabled={busy} onClick={() => void trigger()}>
      Send a test event
    </Button>
  );
}

export function WebhookEdit() {
  return (
    <Edit mutationMode="pessimistic" transform={(data: RaRecord) => toPayload(data, false)}>
      <SimpleForm>
        <WebhookFields creating={false} />
      </SimpleForm>
      <Box sx={{ px: 2, pb: 2 }}>
        <TriggerButton />
      </Box>
      <DeliveryLog />
    </Edit>
  );
}

export const webhooks = {
  list: WebhookList,
  create: WebhookCreate,
  edit: WebhookEdit,
  icon: WebhookIcon,
  options: { label: 'Webhooks' },
};
