// One file: preview, its facts, and what the role may do with it — edit name, alternative text and
// caption, move it to a folder, replace its content (same id, so entries linking to it follow),
// delete it (a file in use is refused by the server; the dialog says so and offers to force it),
// copy its URL; crop, rotate and set the focal point of an image (ImageEditDialog); see the
// entries using it (UsedBy) and the sizes made from it.
import { useRef, useState } from 'react';
import { Confirm, useDataProvider, useGetList, useNotify, useTranslate } from 'react-admin';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import DeleteIcon from '@mui/icons-material/Delete';
import SwapHorizIcon from '@mui/icons-material/SwapHoriz';
import CropIcon from '@mui/icons-material/Crop';
import { API_ROOT } from '../dataProvider';
import { api } from '../http';
import {
  absoluteUrl,
  categoryOf,
  FILES,
  FOLDERS,
  humanSize,
  replaceFile,
  useRightsOn,
  useUploadRights,
  type MediaFile,
  type MediaFolder,
} from './api';
import { ImageEditDialog } from './ImageEditDialog';
import { UsedBy } from './UsedBy';

/** Raster images the server can edit (SVG and animated images aside: the server says so). */
const EDITABLE = /^image\/(jpeg|png|webp|avif|gif|tiff)$/;
const FORMAT_ORDER = ['thumbnail', 'small', 'medium', 'large'] as const;

/** "thumbnail 245×156 · 12.3 kB, small …": the formats made from an image. */
function Formats({ file }: { file: MediaFile }) {
  const translate = useTranslate();
  const formats = FORMAT_ORDER.flatMap((name) => {
    const f = file.formats?.[name];
    return f ? [`${translate(`folio.media.format.${name}`)} ${f.width}×${f.height} · ${humanSize(f.size)}`] : [];
  });
  if (!formats.length) return null;
  return (
    <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }} data-testid="file-formats">
      {translate('folio.media.formats')}: {formats.join(', ')}
    </Typography>
  );
}

interface Draft {
  name: string;
  alternativeText: string;
  caption: string;
  folder: number | null;
}

function draftOf(file: MediaFile): Draft {
  return {
    name: file.name,
    alternativeText: file.alternativeText ?? '',
    caption: file.caption ?? '',
    folder: file.folder,
  };
}

/** "Photos / 2024" for a folder, from the names of the folders on its path. */
function folderLabel(folder: MediaFolder, byId: Map<number, MediaFolder>): string {
  return folder.path
    .split('/')
    .filter(Boolean)
    .map((id) => byId.get(Number(id))?.name ?? '…')
    .join(' / ');
}

function Preview({ file }: { file: MediaFile }) {
  const category = categoryOf(file.mime);
  const src = file.formats?.medium?.url ?? file.formats?.small?.url ?? file.url;
  const box = {
    width: '100%',
    maxHeight: 320,
    objectFit: 'contain',
    bgcolor: 'action.hover',
    borderRadius: 1,
  } as const;
  if (category === 'images') return <Box component="img" src={src} alt={file.alternativeText ?? ''} sx={box} />;
  if (category === 'videos') return <Box component="video" src={file.url} controls sx={box} />;
  if (category === 'audios') return <Box component="audio" src={file.url} controls sx={{ width: '100%' }} />;
  return null;
}

export function FileDetailsDialog({
  file,
  onClose,
  onChanged,
}: {
  file: MediaFile;
  onClose: () => void;
  onChanged: () => void;
}) {
  const roleRights = useUploadRights();
  const rightsOn = useRightsOn();
  const notify = useNotify();
  const dataProvider = useDataProvider();
  const [current, setCurrent] = useState(file);
  const [draft, setDraft] = useState<Draft>(() => draftOf(file));
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [busy, setBusy] = useState(false);
  const [inUse, setInUse] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [replaceProgress, setReplaceProgress] = useState<number | undefined>();
  const [editing, setEditing] = useState(false);
  const translate = useTranslate();
  const replaceInput = useRef<HTMLInputElement>(null);
  const { data: folders } = useGetList<MediaFolder>(FOLDERS, {
    pagination: { page: 1, perPage: 100 },
    sort: { field: '', order: 'ASC' },
  });
  const byId = new Map((folders ?? []).map((f) => [f.id, f]));
  const rights = rightsOn(current);
  const readOnly = !rights.update;
  // The role may change files, only not this one (the Author's "files I uploaded").
  const notOwn = (roleRights.update && !rights.update) || (roleRights.delete && !rights.delete);

  const save = async () => {
    setBusy(true);
    setErrors({});
    try {
      const { data } = await dataProvider.update<MediaFile>(FILES, {
        id: current.id,
        data: {
          name: draft.name,
          alternativeText: draft.alternativeText || null,
          caption: draft.caption || null,
          folder: draft.folder,
        },
        previousData: current,
      });
      setCurrent(data);
      notify('folio.media.file.saved', { type: 'success' });
      onChanged();
      onClose();
    } catch (err) {
      const body = (err as { body?: { errors?: Record<string, string> } }).body;
      if (body?.errors) setErrors(body.errors);
      notify(err instanceof Error ? err.message : 'folio.media.file.save_failed', { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (force: boolean) => {
    setConfirming(false);
    setBusy(true);
    try {
      await api(`${API_ROOT}/upload/files/${current.id}${force ? '?force=true' : ''}`, { method: 'DELETE' });
      notify('folio.media.file.deleted', { type: 'success', messageArgs: { name: current.name } });
      onChanged();
      onClose();
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 409 && !force) setInUse(err instanceof Error ? err.message : translate('folio.media.file.in_use'));
      else notify(err instanceof Error ? err.message : 'folio.media.file.delete_failed', { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const replace = async (replacement: File | undefined) => {
    if (!replacement) return;
    setReplaceProgress(0);
    try {
      const data = await replaceFile(current.id, replacement, setReplaceProgress);
      setCurrent(data);
      setDraft(draftOf(data));
      notify('folio.media.file.replaced', { type: 'success' });
      onChanged();
    } catch (err) {
      notify(err instanceof Error ? err.message : 'folio.media.file.replace_failed', { type: 'error' });
    } finally {
      setReplaceProgress(undefined);
    }
  };

  const copy = async () => {
    await navigator.clipboard?.writeText(absoluteUrl(current.url));
    notify('folio.media.file.copied', { type: 'info' });
  };

  const field = (key: 'name' | 'alternativeText' | 'caption', label: string, helperText?: string) => (
    <TextField
      label={label}
      value={draft[key]}
      onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
      error={Boolean(errors[key])}
      helperText={errors[key] ?? helperText}
      disabled={readOnly || busy}
      fullWidth
      size="small"
    />
  );

  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth aria-labelledby="file-details-title">
      <DialogTitle id="file-details-title">{translate('folio.media.file.title')}</DialogTitle>
      <DialogContent>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={3} sx={{ pt: 1 }}>
          <Box sx={{ flex: '1 1 50%', minWidth: 0 }}>
            <Preview file={current} />
            <Typography variant="body2" sx={{ mt: 1, wordBreak: 'break-all' }}>
              {current.mime} · {humanSize(current.size)}
              {current.width && current.height ? ` · ${current.width}×${current.height}` : ''}
            </Typography>
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
              {translate('folio.media.file.uploaded', { date: new Date(current.createdAt).toLocaleString() })}
            </Typography>
            <Formats file={current} />
            <Stack direction="row" spacing={1} sx={{ mt: 1.5, flexWrap: 'wrap' }}>
              <Button size="small" startIcon={<ContentCopyIcon />} onClick={() => void copy()}>
                {translate('folio.media.file.copy')}
              </Button>
              {rights.update ? (
                <>
                  <input
                    ref={replaceInput}
                    type="file"
                    hidden
                    aria-label={translate('folio.media.file.replacement')}
                    onChange={(event) => void replace(event.target.files?.[0])}
                  />
                  <Button
                    size="small"
                    startIcon={<SwapHorizIcon />}
                    onClick={() => replaceInput.current?.click()}
                    disabled={replaceProgress !== undefined}
                  >
                    {translate('folio.media.file.replace')}
                  </Button>
                  {EDITABLE.test(current.mime) && current.width && current.height ? (
                    <Button size="small" startIcon={<CropIcon />} onClick={() => setEditing(true)}>
                      {translate('folio.media.edit.open')}
                    </Button>
                  ) : null}
                </>
              ) : null}
            </Stack>
            {replaceProgress !== undefined ? (
              <LinearProgress
                variant="determinate"
                value={replaceProgress * 100}
                aria-label={translate('folio.media.file.replacing')}
                sx={{ mt: 1 }}
              />
            ) : null}
          </Box>
          <Stack spacing={2} sx={{ flex: '1 1 50%' }}>
            {field('name', translate('folio.media.file.name'))}
            {field(
              'alternativeText',
              translate('folio.media.file.alternative_text'),
              translate('folio.media.file.alternative_text_help'),
            )}
            {field('caption', translate('folio.media.file.caption'))}
            <TextField
              select
              label={translate('folio.media.file.folder')}
              value={draft.folder === null ? '' : String(draft.folder)}
              onChange={(event) =>
                setDraft({ ...draft, folder: event.target.value === '' ? null : Number(event.target.value) })
              }
              error={Boolean(errors.folder)}
              helperText={errors.folder}
              disabled={readOnly || busy}
              size="small"
              fullWidth
              // The root is the empty value: show it rather than an empty box.
              slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
            >
              <MenuItem value="">{translate('folio.media.file.root')}</MenuItem>
              {(folders ?? []).map((f) => (
                <MenuItem key={f.id} value={String(f.id)}>
                  {folderLabel(f, byId)}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label={translate('folio.media.file.url')}
              value={absoluteUrl(current.url)}
              size="small"
              fullWidth
              slotProps={{ input: { readOnly: true } }}
            />
          </Stack>
        </Stack>
        <UsedBy fileId={current.id} />
        {notOwn ? (
          <Alert severity="info" sx={{ mt: 2 }}>
            {translate('folio.media.file.not_own')}
          </Alert>
        ) : null}
        {inUse ? (
          <Alert
            severity="warning"
            sx={{ mt: 2 }}
            action={
              <Button color="error" size="small" onClick={() => void remove(true)} disabled={busy}>
                {translate('folio.media.file.delete_anyway')}
              </Button>
            }
          >
            {translate('folio.media.file.in_use_hint', { message: inUse })}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        {rights.delete ? (
          <Button
            color="error"
            startIcon={<DeleteIcon />}
            onClick={() => setConfirming(true)}
            disabled={busy}
            sx={{ mr: 'auto' }}
          >
            {translate('folio.media.delete')}
          </Button>
        ) : null}
        <Button onClick={onClose}>{translate(readOnly ? 'folio.media.close' : 'folio.media.cancel')}</Button>
        {readOnly ? null : (
          <Button variant="contained" onClick={() => void save()} disabled={busy || !draft.name.trim()}>
            {translate('folio.media.file.save')}
          </Button>
        )}
      </DialogActions>
      {editing ? (
        <ImageEditDialog
          file={current}
          onClose={() => setEditing(false)}
          onSaved={(edited) => {
            setCurrent(edited);
            onChanged();
          }}
        />
      ) : null}
      <Confirm
        isOpen={confirming}
        title="folio.media.file.delete_title"
        translateOptions={{ name: current.name }}
        content="folio.media.file.delete_hint"
        confirm="folio.media.delete"

        onConfirm={() => void remove(false)}
        onClose={() => setConfirming(false)}
      />
    </Dialog>
  );
}
