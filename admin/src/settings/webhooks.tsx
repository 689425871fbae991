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
  useTranslate,
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

// Strapi's event names, as receivers get them, with the words an admin reads (choices are translated).
const EVENTS = [
  { id: 'entry.create', name: 'folio.webhooks.events.entry_create' },
  { id: 'entry.update', name: 'folio.webhooks.events.entry_update' },
  { id: 'entry.delete', name: 'folio.webhooks.events.entry_delete' },
  { id: 'entry.publish', name: 'folio.webhooks.events.entry_publish' },
  { id: 'entry.unpublish', name: 'folio.webhooks.events.entry_unpublish' },
  { id: 'entry.draft-discard', name: 'folio.webhooks.events.entry_draft_discard' },
  { id: 'entry.publish-failed', name: 'folio.webhooks.events.entry_publish_failed' },
  { id: 'release.publish', name: 'folio.webhooks.events.release_publish' },
  { id: 'release.publish-failed', name: 'folio.webhooks.events.release_publish_failed' },
  { id: 'media.create', name: 'folio.webhooks.events.media_create' },
  { id: 'media.update', name: 'folio.webhooks.events.media_update' },
  { id: 'media.delete', name: 'folio.webhooks.events.media_delete' },
];

/** An event's words; an event this dashboard does not know yet shows its name. */
function useEventName(): (event: string) => string {
  const translate = useTranslate();
  return (event) => {
    const known = EVENTS.find((e) => e.id === event);
    return known ? translate(known.name) : event;
  };
}

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
  const eventName = useEventName();
  return (
    <List pagination={false} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick="edit">
        <TextField sortable={false} source="name" label="folio.webhooks.fields.name" />
        <TextField sortable={false} source="url" label="folio.webhooks.fields.url" />
        <FunctionField
          label="folio.webhooks.fields.events"
          render={(record: RaRecord) => (
            <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
              {(record.events as string[]).map((e) => (
                <Chip key={e} size="small" label={eventName(e)} />
              ))}
            </Stack>
          )}
        />
        <BooleanField sortable={false} source="enabled" label="folio.webhooks.fields.enabled" />
        <BooleanField sortable={false} source="signed" label="folio.webhooks.fields.signed" />
      </Datagrid>
    </List>
  );
}

function WebhookFields({ creating }: { creating: boolean }) {
  const record = useRecordContext<RaRecord>();
  return (
    <>
      <TextInput source="name" label="folio.webhooks.fields.name" validate={required()} />
      <TextInput
        source="url"
        label="folio.webhooks.fields.url"
        type="url"
        validate={required()}
        fullWidth
        helperText="folio.webhooks.url_help"
      />
      <CheckboxGroupInput source="events" label="folio.webhooks.fields.events" choices={EVENTS} validate={required()} />
      <TextInput
        source="headers"
        label="folio.webhooks.fields.headers"
        multiline
        minRows={2}
        fullWidth
        format={headersToText}
        helperText="folio.webhooks.headers_help"
      />
      <PasswordInput
        source="secret"
        label="folio.webhooks.fields.secret"
        autoComplete="new-password"
        helperText={record?.signed ? 'folio.webhooks.secret_help_signed' : 'folio.webhooks.secret_help_unsigned'}
      />
      {!creating && record?.signed ? (
        <BooleanInput source="removeSecret" label="folio.webhooks.fields.remove_secret" />
      ) : null}
      <BooleanInput source="enabled" label="folio.webhooks.fields.enabled" />
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
const STATUS_WORDS = {
  pending: 'folio.webhooks.status.pending',
  succeeded: 'folio.webhooks.status.succeeded',
  failed: 'folio.webhooks.status.failed',
  skipped: 'folio.webhooks.status.skipped',
} as const;

function DeliveryLog() {
  const translate = useTranslate();
  const eventName = useEventName();
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
            {translate('folio.webhooks.log.title')}
          </Typography>
          <Button startIcon={<RefreshIcon />} onClick={() => void load()}>
            {translate('folio.webhooks.log.refresh')}
          </Button>
        </Stack>
        {deliveries && deliveries.length === 0 ? (
          <Typography color="text.secondary">{translate('folio.webhooks.log.empty')}</Typography>
        ) : null}
        {deliveries && deliveries.length > 0 ? (
          <Table size="small" aria-label={translate('folio.webhooks.log.title')}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('folio.webhooks.log.event')}</TableCell>
                <TableCell>{translate('folio.webhooks.log.status')}</TableCell>
                <TableCell>{translate('folio.webhooks.log.attempts')}</TableCell>
                <TableCell>{translate('folio.webhooks.log.answer')}</TableCell>
                <TableCell>{translate('folio.webhooks.log.when')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {deliveries.map((d) => (
                <TableRow key={d.id}>
                  <TableCell>
                    {eventName(d.event)}
                    {/* The name the receiver gets, to match what it logged. */}
                    <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                      <code>{d.event}</code>
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <Chip size="small" color={STATUS_COLOUR[d.status]} label={translate(STATUS_WORDS[d.status])} />
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
                        {translate('folio.webhooks.log.next_try', {
                          time: new Date(d.nextAttemptAt).toLocaleString(),
                        })}
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
  const translate = useTranslate();
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
      notify(r.ok ? 'folio.webhooks.test_answered' : 'folio.webhooks.test_failed', {
        type: r.ok ? 'success' : 'warning',
        messageArgs: { status: r.status, duration: r.durationMs, error: r.error },
      });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button startIcon={<SendIcon />} variant="outlined" disabled={busy} onClick={() => void trigger()}>
      {translate('folio.webhooks.test')}
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
