// Drop files here (or pick them): each file is its own request with its own progress bar, so one
// refused file (wrong type, too large) does not sink the others, and the server's message shows
// beside the file it is about. Two at a time: the server processes two images at once anyway.
import { useCallback, useId, useRef, useState, type DragEvent } from 'react';
import { Alert, Box, Button, LinearProgress, List, ListItem, ListItemText, Typography } from '@mui/material';
import CloudUploadIcon from '@mui/icons-material/CloudUpload';
import { uploadFile, type MediaFile } from './api';

interface Job {
  key: string;
  name: string;
  progress: number;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  error?: string;
}

const PARALLEL = 2;

export function UploadZone({
  folder,
  onUploaded,
  compact = false,
}: {
  folder: number | null;
  onUploaded: (files: MediaFile[]) => void;
  compact?: boolean;
}) {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();

  const patch = (key: string, change: Partial<Job>) =>
    setJobs((all) => all.map((j) => (j.key === key ? { ...j, ...change } : j)));

  const start = useCallback(
    async (list: File[]) => {
      if (list.length === 0) return;
      const batch = list.map((file, i) => ({ file, key: `${Date.now()}-${i}-${file.name}` }));
      setJobs((all) => [
        ...all.filter((j) => j.state !== 'done'),
        ...batch.map(({ key, file }) => ({ key, name: file.name, progress: 0, state: 'waiting' as const })),
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
            patch(key, { state: 'failed', error: err instanceof Error ? err.message : String(err) });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, batch.length) }, worker));
      if (uploaded.length) onUploaded(uploaded);
    },
    [folder, onUploaded],
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
        aria-label="Upload files"
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
          Drop files here, or
        </Typography>
        <input
          ref={input}
          id={inputId}
          type="file"
          multiple
          hidden
          aria-label="Choose files to upload"
          onChange={(event) => {
            void start(Array.from(event.target.files ?? []));
            event.target.value = ''; // the same file can be chosen again
          }}
        />
        <Button variant="outlined" size="small" onClick={() => input.current?.click()}>
          Choose files
        </Button>
      </Box>
      {jobs.length ? (
        <List dense aria-label="Uploads">
          {jobs.map((job) => (
            <ListItem key={job.key} disableGutters sx={{ display: 'block' }}>
              <ListItemText
                primary={job.name}
                secondary={
                  job.state === 'done'
                    ? 'Uploaded'
                    : job.state === 'waiting'
                      ? 'Waiting…'
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
                  aria-label={`Upload of ${job.name}`}
                />
              )}
            </ListItem>
          ))}
        </List>
      ) : null}
    </Box>
  );
}
