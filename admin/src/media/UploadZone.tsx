// Drop files here (or pick them): each file is its own request with its own progress bar, so one
// refused file (wrong type, too large) does not sink the others, and the server's message shows
// beside the file it is about. Two at a time: the server processes two images at once anyway.
// A picker for a field takes only the field's allowedTypes: the chooser offers only those, and a
// dropped file of another type is refused here, before any upload (the server refuses it too).
import { useCallback, useId, useRef, useState, type DragEvent } from 'react';
import { useTranslate } from 'react-admin';
import { Alert, Box, Button, LinearProgress, List, ListItem, ListItemText, Typography } from '@mui/material';
import CloudUploadIcon from '@mui/icons-material/CloudUpload';
import { accepts, acceptOf, humanSize, uploadFile, type MediaCategory, type MediaFile } from './api';

interface Job {
  key: string;
  name: string;
  /** Kilobytes, as the library reports sizes. */
  size: number;
  progress: number;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  error?: string;
}

const PARALLEL = 2;

/** "images or videos", in the editor's words. */
export function useTypesLabel(): (allowedTypes: readonly MediaCategory[]) => string {
  const translate = useTranslate();
  return (allowedTypes) => allowedTypes.map((t) => translate(`folio.media.types.${t}`)).join(', ');
}

export function UploadZone({
  folder,
  onUploaded,
  compact = false,
  allowedTypes,
}: {
  folder: number | null;
  onUploaded: (files: MediaFile[]) => void;
  compact?: boolean;
  /** A media field's allowedTypes: other files are refused before they are sent. */
  allowedTypes?: readonly MediaCategory[];
}) {
  const translate = useTranslate();
  const typesLabel = useTypesLabel();
  const [jobs, setJobs] = useState<Job[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();

  const patch = (key: string, change: Partial<Job>) =>
    setJobs((all) => all.map((j) => (j.key === key ? { ...j, ...change } : j)));

  const start = useCallback(
    async (list: File[]) => {
      if (list.length === 0) return;
      const stamp = Date.now();
      const jobOf = (file: File, i: number) => ({
        key: `${stamp}-${i}-${file.name}`,
        name: file.name,
        size: file.size / 1024,
      });
      const refused = list.filter((file) => !accepts(allowedTypes, file.type));
      const batch = list
        .filter((file) => accepts(allowedTypes, file.type))
        .map((file, i) => ({ file, key: jobOf(file, i).key }));
      const types = typesLabel(allowedTypes ?? []);
      setJobs((all) => [
        ...all.filter((j) => j.state !== 'done'),
        ...refused.map((file, i) => ({
          ...jobOf(file, list.length + i),
          progress: 0,
          state: 'failed' as const,
          error: translate('folio.media.refused', { name: file.name, types }),
        })),
        ...batch.map(({ file }, i) => ({ ...jobOf(file, i), progress: 0, state: 'waiting' as const })),
      ]);
      const uploaded: MediaFile[] = [];
      let next = 0;
      const worker = async () => {
        while (next < batch.length) {
          const { file, key } = batch[next++];
          patch(key, { state: 'uploading' });
          try {
            uploaded.push(await uploadFile(file, { folder, onProgress: (progress) => patch(key, { progress }) }));
            patch(key, { state: 'done', progress: 1 });
          } catch (err) {
            // The server's own message, or one of api.ts's keys (the upload never reached it).
            const message = err instanceof Error ? err.message : String(err);
            patch(key, { state: 'failed', error: translate(message, { _: message }) });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, batch.length) }, worker));
      if (uploaded.length) onUploaded(uploaded);
    },
    [folder, onUploaded, allowedTypes, translate, typesLabel],
  );

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setOver(false);
    void start(Array.from(event.dataTransfer.files));
  };

  return (
    <Box>
      <Box
        component="section"
        aria-label={translate('folio.media.upload.open')}
        onDragOver={(event: DragEvent<HTMLElement>) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="upload-dropzone"
        sx={{
          border: 2,
          borderStyle: 'dashed',
          borderColor: over ? 'primary.main' : 'divider',
          bgcolor: over ? 'action.hover' : 'transparent',
          borderRadius: 2,
          p: compact ? 2 : 3,
          textAlign: 'center',
          transition: 'background-color 120ms, border-color 120ms',
        }}
      >
        <CloudUploadIcon color="primary" sx={{ fontSize: compact ? 28 : 40 }} />
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate('folio.media.upload.drop')}
        </Typography>
        {allowedTypes?.length ? (
          <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
            {translate('folio.media.accepts', { types: typesLabel(allowedTypes) })}
          </Typography>
        ) : null}
        <input
          ref={input}
          id={inputId}
          type="file"
          multiple
          hidden
          accept={acceptOf(allowedTypes)}
          aria-label={translate('folio.media.upload.input')}
          onChange={(event) => {
            void start(Array.from(event.target.files ?? []));
            event.target.value = ''; // the same file can be chosen again
          }}
        />
        <Button variant="outlined" size="small" onClick={() => input.current?.click()}>
          {translate('folio.media.upload.choose')}
        </Button>
      </Box>
      {jobs.length ? (
        <List dense aria-label={translate('folio.media.upload.list')}>
          {jobs.map((job) => (
            <ListItem key={job.key} disableGutters sx={{ display: 'block' }}>
              <ListItemText
                primary={`${job.name} · ${humanSize(job.size)}`}
                secondary={
                  job.state === 'done'
                    ? translate('folio.media.upload.done')
                    : job.state === 'waiting'
                      ? translate('folio.media.upload.waiting')
                      : job.state === 'uploading'
                        ? `${Math.round(job.progress * 100)} %`
                        : undefined
                }
              />
              {job.state === 'failed' ? (
                <Alert severity="error" sx={{ py: 0 }}>
                  {job.error}
                </Alert>
              ) : (
                <LinearProgress
                  variant="determinate"
                  value={Math.round(job.progress * 100)}
                  color={job.state === 'done' ? 'success' : 'primary'}
                  aria-label={translate('folio.media.upload.progress', { name: job.name })}
                />
              )}
            </ListItem>
          ))}
        </List>
      ) : null}
    </Box>
  );
}
