// A release's page: its entries (type, entry linked to its edit screen, locale, publish or unpublish),
// each with whether it can be released now and whether its draft changed since it was added; and what
// can be done with the release while it is not published — rename, remove an entry or change its
// action, release now, schedule / move / cancel its schedule (on the editor's clock), delete. "Release
// now" waits until every entry is valid; the server checks again and its refusal is shown. A
// published release is history: shown as such, unchanged. A failed scheduled run says why.
import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Confirm, DeleteButton, Show, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import {
  Alert,
  Box,
  Button,
  Chip,
  IconButton,
  LinearProgress,
  Link,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import EventIcon from '@mui/icons-material/Event';
import EventBusyIcon from '@mui/icons-material/EventBusy';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import { entryKey, entryPath, fallbackName, useEntryNames } from '../content/entryNames';
import { contentType } from '../content/schema';
import { useTimeZone } from '../content/schedule/useTimeZone';
import { formatDateTime } from '../content/schedule/zone';
import {
  addReleaseAction,
  cancelReleaseSchedule,
  isEditable,
  releaseNow,
  removeReleaseAction,
  type Release,
  type ReleaseAction,
  type ReleaseActionKind,
  type ReleaseDetail,
} from './api';
import { ReleaseScheduleDialog } from './ReleaseScheduleDialog';
import { ReleaseStatusChip } from './ReleaseStatusChip';
import { RenameDialog } from './RenameDialog';

/** Runs a change of the release, says how it went, and reads the release again. */
function useChange() {
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const [busy, setBusy] = useState(false);
  const run = async (change: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await change();
      notify(translate(done), { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
      refresh();
    }
  };
  return { busy, run };
}

function When({ label, at }: { label: string; at: string | null }) {
  const translate = useTranslate();
  const [zone] = useTimeZone();
  if (!at) return null;
  return (
    <Typography variant="body2" data-testid="release-when">
      {translate(label, { time: formatDateTime(new Date(at), zone), zone })}
    </Typography>
  );
}

/** Why "Release now" cannot be used, or undefined when it can. */
function blockedBecause(release: ReleaseDetail, translate: ReturnType<typeof useTranslate>): string | undefined {
  const invalid = release.actions.filter((a) => !a.valid).length;
  if (invalid) return translate('folio.releases.blocked_invalid', { smart_count: invalid });
  if (!release.actions.length && !release.hiddenActions) return translate('folio.releases.blocked_empty');
  return undefined;
}

function ReleaseNow({ release }: { release: ReleaseDetail }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const blocked = blockedBecause(release, translate);
  const count = release.actions.length + release.hiddenActions;

  const release_ = async () => {
    setConfirming(false);
    setBusy(true);
    setRefusal(null);
    try {
      await releaseNow(release.id);
      notify(translate('folio.releases.released'), { type: 'success' });
    } catch (err) {
      // The server's word (it names every entry it refused): kept on the page, not only notified.
      setRefusal((err as Error).message);
    } finally {
      setBusy(false);
      refresh();
    }
  };

  return (
    <Stack spacing={1} sx={{ alignItems: 'flex-start' }}>
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Button
          variant="contained"
          color="secondary"
          startIcon={<RocketLaunchIcon />}
          disabled={busy || blocked !== undefined}
          onClick={() => setConfirming(true)}
          aria-describedby={blocked ? 'folio-release-blocked' : undefined}
        >
          {translate('folio.releases.release_now')}
        </Button>
        {blocked ? (
          <Typography id="folio-release-blocked" variant="body2" color="text.secondary">
            {blocked}
          </Typography>
        ) : null}
      </Stack>
      {refusal ? (
        <Alert severity="error" onClose={() => setRefusal(null)} sx={{ alignSelf: 'stretch' }}>
          {refusal}
        </Alert>
      ) : null}
      <Confirm
        isOpen={confirming}
        title={translate('folio.releases.confirm_title', { name: release.name })}
        content={translate('folio.releases.confirm_content', { smart_count: count })}
        confirm={translate('folio.releases.release_now')}
        onConfirm={() => void release_()}
        onClose={() => setConfirming(false)}
      />
    </Stack>
  );
}

function Commands({ release }: { release: ReleaseDetail }) {
  const translate = useTranslate();
  const refresh = useRefresh();
  const { busy, run } = useChange();
  const [dialog, setDialog] = useState<'schedule' | 'rename' | null>(null);
  const scheduled = release.status === 'scheduled';
  return (
    <Stack spacing={2}>
      <ReleaseNow release={release} />
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        <Button
          variant="outlined"
          startIcon={<EventIcon />}
          // An empty release cannot be scheduled (the server says so too).
          disabled={!release.actions.length && !release.hiddenActions}
          onClick={() => setDialog('schedule')}
        >
          {translate(scheduled ? 'folio.releases.move' : 'folio.releases.schedule')}
        </Button>
        {scheduled ? (
          <Button
            variant="outlined"
            startIcon={<EventBusyIcon />}
            disabled={busy}
            onClick={() => void run(() => cancelReleaseSchedule(release.id), 'folio.releases.schedule_cancelled')}
          >
            {translate('folio.releases.cancel_schedule')}
          </Button>
        ) : null}
        <Button variant="outlined" startIcon={<EditIcon />} onClick={() => setDialog('rename')}>
          {translate('folio.releases.rename')}
        </Button>
        <DeleteButton mutationMode="pessimistic" variant="outlined" size="medium" redirect="list" />
      </Stack>
      {dialog === 'schedule' ? (
        <ReleaseScheduleDialog
          release={release}
          invalid={release.actions.filter((a) => !a.valid).length}
          onClose={() => setDialog(null)}
          onScheduled={() => {
            refresh();
          }}
        />
      ) : null}
      {dialog === 'rename' ? (
        <RenameDialog release={release} onClose={() => setDialog(null)} onRenamed={refresh} />
      ) : null}
    </Stack>
  );
}

/** Whether the entry can be released now, and whether it changed after it was added. */
function EntryState({ action }: { action: ReleaseAction }) {
  const translate = useTranslate();
  return (
    <Stack spacing={0.5} sx={{ alignItems: 'flex-start' }}>
      {action.valid ? (
        <Chip
          size="small"
          color="success"
          variant="outlined"
          icon={<CheckCircleIcon />}
          label={translate('folio.releases.valid')}
        />
      ) : (
        <>
          <Chip size="small" color="error" icon={<ErrorIcon />} label={translate('folio.releases.invalid')} />
          <Typography variant="caption" color="error">
            {action.problem}
          </Typography>
        </>
      )}
      {action.changedSinceAdded ? (
        <Tooltip title={translate('folio.releases.changed_hint')}>
          <Chip size="small" color="warning" variant="outlined" label={translate('folio.releases.changed')} />
        </Tooltip>
      ) : null}
    </Stack>
  );
}

function Entries({ release }: { release: ReleaseDetail }) {
  const translate = useTranslate();
  const names = useEntryNames(release.actions);
  const { busy, run } = useChange();
  const editable = isEditable(release);
  const changeAction = (action: ReleaseAction, next: ReleaseActionKind) =>
    run(
      () =>
        addReleaseAction(release.id, {
          uid: action.uid,
          documentId: action.documentId,
          ...(action.locale ? { locale: action.locale } : {}),
          action: next,
        }),
      'folio.releases.action_changed',
    );

  if (!release.actions.length)
    return (
      <Typography color="text.secondary" sx={{ my: 2 }}>
        {translate(release.hiddenActions ? 'folio.releases.none_visible' : 'folio.releases.empty')}
      </Typography>
    );
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" aria-label={translate('folio.releases.entries')}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('folio.releases.fields.type')}</TableCell>
            <TableCell>{translate('folio.releases.fields.entry')}</TableCell>
            <TableCell>{translate('folio.releases.fields.locale')}</TableCell>
            <TableCell>{translate('folio.releases.fields.action')}</TableCell>
            {editable ? <TableCell>{translate('folio.releases.fields.state')}</TableCell> : null}
            {editable ? <TableCell /> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {release.actions.map((action) => {
            const type = contentType(action.uid);
            const name = names.get(entryKey(action)) ?? fallbackName(action);
            const actionLabel = translate(`folio.schedule.action_${action.action}`);
            return (
              <TableRow key={action.id} data-entry={action.documentId}>
                <TableCell>{type?.displayName ?? action.uid}</TableCell>
                <TableCell>
                  <Link component={RouterLink} to={entryPath(action, action.locale)}>
                    {name}
                  </Link>
                  {name !== action.documentId ? (
                    <Typography variant="caption" color="text.secondary" component="div">
                      {action.documentId}
                    </Typography>
                  ) : null}
                </TableCell>
                <TableCell>{action.locale ?? '—'}</TableCell>
                <TableCell>
                  {editable ? (
                    <TextField
                      select
                      size="small"
                      value={action.action}
                      disabled={busy}
                      onChange={(e) => void changeAction(action, e.target.value as ReleaseActionKind)}
                      slotProps={{
                        select: {
                          SelectDisplayProps: { 'aria-label': translate('folio.releases.action_of', { name }) },
                        },
                      }}
                    >
                      <MenuItem value="publish">{translate('folio.schedule.action_publish')}</MenuItem>
                      <MenuItem value="unpublish">{translate('folio.schedule.action_unpublish')}</MenuItem>
                    </TextField>
                  ) : (
                    actionLabel
                  )}
                </TableCell>
                {editable ? (
                  <TableCell>
                    <EntryState action={action} />
                  </TableCell>
                ) : null}
                {editable ? (
                  <TableCell align="right">
                    <Tooltip title={translate('folio.releases.remove')}>
                      <span>
                        <IconButton
                          aria-label={translate('folio.releases.remove_entry', { name })}
                          disabled={busy}
                          onClick={() =>
                            void run(() => removeReleaseAction(release.id, action.id), 'folio.releases.removed')
                          }
                        >
                          <DeleteIcon />
                        </IconButton>
                      </span>
                    </Tooltip>
                  </TableCell>
                ) : null}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}

function ReleaseView() {
  const record = useRecordContext<ReleaseDetail | Release>();
  const translate = useTranslate();
  // react-admin first shows the release as the list or the create answered it (no entries) while it
  // reads the release page's own answer.
  if (!record || !('actions' in record)) return <LinearProgress sx={{ m: 2 }} />;
  const release = record;
  const editable = isEditable(release);
  return (
    <Stack spacing={2} sx={{ p: 2 }}>
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1">
          {release.name}
        </Typography>
        <ReleaseStatusChip status={release.status} />
      </Stack>
      {release.status === 'scheduled' ? <When label="folio.releases.scheduled_for" at={release.scheduledAt} /> : null}
      {release.status === 'published' ? <When label="folio.releases.published_at" at={release.releasedAt} /> : null}
      {release.status === 'failed' ? (
        <Alert severity="error">{translate('folio.releases.failed', { reason: release.reason ?? '' })}</Alert>
      ) : null}
      {release.hiddenActions ? (
        <Alert severity="info">{translate('folio.releases.hidden', { smart_count: release.hiddenActions })}</Alert>
      ) : null}
      {editable ? <Commands release={release} /> : null}
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
        {translate('folio.releases.entries_count', {
          smart_count: release.actions.length + release.hiddenActions,
        })}
      </Typography>
      <Entries release={release} />
    </Stack>
  );
}

export function ReleaseShow() {
  return (
    <Show actions={false}>
      <ReleaseView />
    </Show>
  );
}
