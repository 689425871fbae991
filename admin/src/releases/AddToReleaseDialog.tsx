// "Add to release": one or more entries (the edit screen's, a list's selection) added to a release
// that is not published yet, or to a new one named here, to be published or unpublished with it — in
// the locale on screen. One request per entry: those that could not be added are named with the
// reason, the others stay added. Loaded when first opened.
import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslate } from 'react-admin';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Link,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import type { ContentTypeInfo } from '../content/schema';
import {
  addReleaseAction,
  createRelease,
  isEditable,
  listReleases,
  type ReleaseActionKind,
  type ReleaseSummary,
} from './api';
import { releasePath } from './paths';
import { PublishActionChoice } from '../content/PublishActionChoice';
import { FailedEntries } from '../content/FailedEntries';

/** An entry to add, with the name it is shown by when it cannot be. */
export interface ReleaseEntry {
  documentId: string;
  label: string;
}

export interface AddOutcome {
  release: { id: number; name: string };
  added: ReleaseEntry[];
  failed: { entry: ReleaseEntry; message: string }[];
}

export interface AddToReleaseDialogProps {
  onClose: () => void;
  type: ContentTypeInfo;
  entries: ReleaseEntry[];
  /** The locale on screen (edit screen, list filter); undefined: the default locale. */
  locale: string | undefined;
  /** Called after the requests, whatever came of them. */
  onDone: (outcome: AddOutcome) => void;
}

/** The value of the "new release" choice (release ids are numbers). */
const NEW = 'new';

function useOpenReleases() {
  const [releases, setReleases] = useState<ReleaseSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    listReleases(controller.signal).then(
      (all) => setReleases(all.filter(isEditable)),
      (err) => !controller.signal.aborted && setError((err as Error).message),
    );
    return () => controller.abort();
  }, []);
  return { releases, error };
}

export default function AddToReleaseDialog({ onClose, type, entries, locale, onDone }: AddToReleaseDialogProps) {
  const translate = useTranslate();
  const { releases, error: loadError } = useOpenReleases();
  const [choice, setChoice] = useState<string>('');
  const [name, setName] = useState('');
  const [action, setAction] = useState<ReleaseActionKind>('publish');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [failed, setFailed] = useState<AddOutcome['failed']>([]);
  // After a partial failure, adding again retries only the entries that were not added, to the same release.
  const [remaining, setRemaining] = useState(entries);
  const [target, setTarget] = useState<{ id: number; name: string } | null>(null);

  // The newest open release is proposed; with none, a new one.
  const chosen = choice || (releases ? (releases[0] ? String(releases[0].id) : NEW) : '');
  const creating = chosen === NEW;
  const ready = chosen !== '' && (!creating || name.trim().length > 0);

  const releaseToAddTo = async (): Promise<{ id: number; name: string }> => {
    if (target) return target;
    if (creating) return createRelease(name.trim());
    const existing = releases?.find((r) => String(r.id) === chosen);
    if (!existing) throw new Error(translate('folio.releases.add.gone'));
    return existing;
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const release = await releaseToAddTo();
      setTarget(release);
      const outcome: AddOutcome = { release, added: [], failed: [] };
      // One after the other: a selection is a handful of entries, and the server is not flooded.
      for (const entry of remaining) {
        try {
          await addReleaseAction(release.id, {
            uid: type.uid,
            documentId: entry.documentId,
            ...(type.localized && locale ? { locale } : {}),
            action,
          });
          outcome.added.push(entry);
        } catch (err) {
          outcome.failed.push({ entry, message: (err as Error).message });
        }
      }
      setFailed(outcome.failed);
      setRemaining(outcome.failed.map((f) => f.entry));
      onDone(outcome);
      if (!outcome.failed.length) onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const title =
    entries.length === 1
      ? translate('folio.releases.add.title')
      : translate('folio.releases.add.title_many', { smart_count: entries.length });
  return (
    <Dialog open onClose={busy ? undefined : onClose} aria-labelledby="folio-add-release-title" fullWidth>
      <DialogTitle id="folio-add-release-title">{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2.5} sx={{ pt: 1 }}>
          {loadError ? <Alert severity="error">{loadError}</Alert> : null}
          <TextField
            select
            label={translate('folio.releases.add.release')}
            value={chosen}
            disabled={releases === null || target !== null}
            onChange={(e) => setChoice(e.target.value)}
          >
            {(releases ?? []).map((r) => (
              <MenuItem key={r.id} value={String(r.id)}>
                {r.status === 'open'
                  ? r.name
                  : translate('folio.releases.add.with_status', {
                      name: r.name,
                      status: translate(`folio.releases.status.${r.status}`),
                    })}
              </MenuItem>
            ))}
            <MenuItem value={NEW}>{translate('folio.releases.add.new')}</MenuItem>
          </TextField>
          {creating && !target ? (
            <TextField
              label={translate('folio.releases.add.new_name')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              autoFocus
              slotProps={{ htmlInput: { maxLength: 191 } }}
            />
          ) : null}
          <PublishActionChoice id="folio-add-release-action" value={action} onChange={setAction} />
          {type.localized ? (
            <Typography variant="body2" color="text.secondary">
              {locale
                ? translate('folio.releases.add.locale', { locale })
                : translate('folio.releases.add.default_locale')}
            </Typography>
          ) : null}
          {error ? <Alert severity="error">{error}</Alert> : null}
          {target ? (
            <FailedEntries failed={failed}>
              {translate('folio.releases.add.some_failed', { smart_count: failed.length })}{' '}
              <Link component={RouterLink} to={releasePath(target.id)}>
                {target.name}
              </Link>
            </FailedEntries>
          ) : null}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {translate(failed.length ? 'folio.schedule.close' : 'ra.action.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy || !ready}>
          {translate('folio.releases.add.submit')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
