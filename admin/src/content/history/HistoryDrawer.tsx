// The History drawer of an entry's edit screen: its revisions newest first, page by page (who,
// which operation, when); a chosen revision's changes against the current draft or against the
// revision before it; and "Restore this version", which — confirmed — makes it the new draft
// (the published version stays until published), reloads the form and says what could not be
// brought back. Loaded on first opening: the list and the diff are not part of the edit screen.
import { useCallback, useEffect, useState } from 'react';
import { Confirm, useNotify, useRefresh, useTranslate } from 'react-admin';
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  Divider,
  Drawer,
  IconButton,
  List,
  ListItemButton,
  ListItemText,
  Pagination,
  Stack,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import CloseIcon from '@mui/icons-material/Close';
import RestoreIcon from '@mui/icons-material/Restore';
import {
  listRevisions,
  restoreRevision,
  revisionDiff,
  type HistoryTarget,
  type RestoreWarnings,
  type RevisionDiff,
  type RevisionSummary,
} from './api';
import { DiffFields, type SideNames } from './DiffView';
import { absoluteTime, relativeTime } from './time';

const PAGE_SIZE = 20;

export interface HistoryDrawerProps {
  open: boolean;
  onClose: () => void;
  target: HistoryTarget;
  /** The role may update the entry: it may restore a version. */
  canRestore: boolean;
  /** The form has unsaved changes, which a restore would replace. */
  dirty: boolean;
}

type Against = 'current' | 'previous';

function useAuthorName() {
  const translate = useTranslate();
  return (revision: RevisionSummary) =>
    revision.createdBy?.name ??
    translate(revision.createdBy?.kind === 'api-token' ? 'folio.history.by_api_token' : 'folio.history.by_system');
}

function useRevisionLine() {
  const translate = useTranslate();
  const author = useAuthorName();
  return (revision: RevisionSummary) =>
    translate('folio.history.line', {
      operation: translate(`folio.history.operation.${revision.operation}`, { _: revision.operation }),
      name: author(revision),
    });
}

function RevisionList({ target, onPick }: { target: HistoryTarget; onPick: (revision: RevisionSummary) => void }) {
  const translate = useTranslate();
  const line = useRevisionLine();
  const [page, setPage] = useState(1);
  const [found, setFound] = useState<{ data: RevisionSummary[]; pageCount: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    listRevisions(target, page, PAGE_SIZE).then(
      (result) => live && setFound(result),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [target, page]);

  if (error) return <Alert severity="error">{error}</Alert>;
  if (!found) return <CircularProgress size={24} aria-label={translate('folio.history.loading')} />;
  if (!found.data.length) return <Typography variant="body2">{translate('folio.history.none')}</Typography>;
  return (
    <>
      <List dense aria-label={translate('folio.history.versions')}>
        {found.data.map((revision) => {
          const date = new Date(revision.createdAt);
          return (
            <ListItemButton key={revision.id} onClick={() => onPick(revision)}>
              <ListItemText
                primary={line(revision)}
                secondary={
                  <time dateTime={revision.createdAt} title={absoluteTime(date)}>
                    {`${relativeTime(date)} · ${absoluteTime(date)}`}
                  </time>
                }
              />
            </ListItemButton>
          );
        })}
      </List>
      {found.pageCount > 1 ? (
        <Pagination count={found.pageCount} page={page} onChange={(_, p) => setPage(p)} size="small" />
      ) : null}
    </>
  );
}

function useRestore(target: HistoryTarget, onDone: () => void) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const warningOf = ({ skipped, dropped }: RestoreWarnings): string | null => {
    const parts = [];
    if (skipped.length) parts.push(translate('folio.history.restored_skipped', { fields: skipped.join(', ') }));
    if (dropped.length) {
      const fields = [...new Set(dropped.map((d) => d.field))].join(', ');
      parts.push(translate('folio.history.restored_dropped', { smart_count: dropped.length, fields }));
    }
    return parts.length ? parts.join(' ') : null;
  };
  const restore = async (revision: RevisionSummary) => {
    setBusy(true);
    try {
      const warning = warningOf(await restoreRevision(target, revision.id));
      notify(warning ? `${translate('folio.history.restored')} ${warning}` : translate('folio.history.restored'), {
        type: warning ? 'warning' : 'success',
        autoHideDuration: warning ? 10_000 : undefined,
      });
      refresh();
      onDone();
    } catch (err) {
      notify(translate('folio.history.restore_failed', { message: (err as Error).message }), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return { busy, restore };
}

interface RevisionDetailProps {
  target: HistoryTarget;
  revision: RevisionSummary;
  canRestore: boolean;
  dirty: boolean;
  onRestored: () => void;
}

function RevisionDetail({ target, revision, canRestore, dirty, onRestored }: RevisionDetailProps) {
  const translate = useTranslate();
  const line = useRevisionLine();
  const [against, setAgainst] = useState<Against>('current');
  const [diff, setDiff] = useState<RevisionDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { busy, restore } = useRestore(target, onRestored);

  useEffect(() => {
    let live = true;
    setDiff(null);
    setError(null);
    revisionDiff(target, revision.id, against).then(
      (result) => live && setDiff(result),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [target, revision.id, against]);

  const names: SideNames =
    against === 'current'
      ? { before: translate('folio.history.this_version'), after: translate('folio.history.current_draft') }
      : { before: translate('folio.history.previous_version'), after: translate('folio.history.this_version') };
  const date = new Date(revision.createdAt);
  return (
    <Stack spacing={2}>
      <Box>
        <Typography variant="subtitle1">{line(revision)}</Typography>
        <Typography variant="body2" color="text.secondary">
          <time dateTime={revision.createdAt}>{`${relativeTime(date)} · ${absoluteTime(date)}`}</time>
        </Typography>
      </Box>
      <ToggleButtonGroup
        exclusive
        size="small"
        value={against}
        onChange={(_, value: Against | null) => value && setAgainst(value)}
        aria-label={translate('folio.history.compare_with')}
      >
        <ToggleButton value="current">{translate('folio.history.against_current')}</ToggleButton>
        <ToggleButton value="previous">{translate('folio.history.against_previous')}</ToggleButton>
      </ToggleButtonGroup>
      <Typography variant="body2" color="text.secondary">
        {translate(against === 'current' ? 'folio.history.since_help' : 'folio.history.made_help')}
      </Typography>
      {error ? <Alert severity="error">{error}</Alert> : null}
      {!diff && !error ? <CircularProgress size={24} aria-label={translate('folio.history.loading')} /> : null}
      {diff ? (
        <Box aria-label={translate('folio.history.changes')} role="region">
          {against === 'previous' && !diff.before ? (
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              {translate('folio.history.first_version')}
            </Typography>
          ) : null}
          <DiffFields fields={diff.fields} names={names} />
        </Box>
      ) : null}
      {canRestore ? (
        <>
          <Divider />
          <Box>
            <Button
              variant="contained"
              startIcon={<RestoreIcon />}
              disabled={busy || dirty}
              onClick={() => setConfirming(true)}
            >
              {translate('folio.history.restore')}
            </Button>
            <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
              {translate(dirty ? 'folio.history.save_first' : 'folio.history.restore_help')}
            </Typography>
          </Box>
          <Confirm
            isOpen={confirming}
            loading={busy}
            title="folio.history.restore_title"
            content="folio.history.restore_confirm"
            confirm="folio.history.restore_action"
            onConfirm={() => {
              setConfirming(false);
              void restore(revision);
            }}
            onClose={() => setConfirming(false)}
          />
        </>
      ) : null}
    </Stack>
  );
}

export default function HistoryDrawer({ open, onClose, target, canRestore, dirty }: HistoryDrawerProps) {
  const translate = useTranslate();
  const [picked, setPicked] = useState<RevisionSummary | null>(null);
  const close = useCallback(() => {
    setPicked(null);
    onClose();
  }, [onClose]);
  return (
    <Drawer
      anchor="right"
      open={open}
      onClose={close}
      slotProps={{
        paper: {
          sx: { width: { xs: '100%', sm: 560 }, p: 2 },
          role: 'dialog',
          'aria-modal': true,
          'aria-label': translate('folio.history.title'),
        },
      }}
    >
      <Stack direction="row" sx={{ alignItems: 'center', mb: 1 }} spacing={1}>
        {picked ? (
          <IconButton onClick={() => setPicked(null)} aria-label={translate('folio.history.back')}>
            <ArrowBackIcon />
          </IconButton>
        ) : null}
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          {translate('folio.history.title')}
        </Typography>
        <IconButton onClick={close} aria-label={translate('ra.action.close')}>
          <CloseIcon />
        </IconButton>
      </Stack>
      {picked ? (
        <RevisionDetail target={target} revision={picked} canRestore={canRestore} dirty={dirty} onRestored={close} />
      ) : (
        <RevisionList target={target} onPick={setPicked} />
      )}
    </Drawer>
  );
}
