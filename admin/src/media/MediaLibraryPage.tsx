// The Media Library page (/admin/media-library): browse folders and files, upload, create folders,
// and open a file's details. The folder is in the URL (?folder=4) so a reload, the back button and
// a shared link land in the same place.
import { useState } from 'react';
import { Authenticated, Title, useDataProvider, useNotify, useRefresh } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField } from '@mui/material';
import CreateNewFolderIcon from '@mui/icons-material/CreateNewFolder';
import { FOLDERS, useUploadRights, type MediaFile, type MediaFolder } from './api';
import { FileDetailsDialog } from './FileDetailsDialog';
import { MediaBrowser } from './MediaBrowser';

function NewFolderDialog({ parent, onClose }: { parent: number | null; onClose: () => void }) {
  const dataProvider = useDataProvider();
  const notify = useNotify();
  const refresh = useRefresh();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const create = async () => {
    try {
      await dataProvider.create<MediaFolder>(FOLDERS, { data: { name: name.trim(), parent } });
      notify(`Folder ${name.trim()} created`, { type: 'success' });
      refresh();
      onClose();
    } catch (err) {
      const body = (err as { body?: { errors?: Record<string, string> } }).body;
      setError(body?.errors?.name ?? (err instanceof Error ? err.message : 'The folder could not be created'));
    }
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby="new-folder-title" maxWidth="xs" fullWidth>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <DialogTitle id="new-folder-title">New folder</DialogTitle>
        <DialogContent>
          <TextField autoFocus label="Folder name" value={name} onChange={(e) => setName(e.target.value)} error={Boolean(error)} helperText={error} fullWidth sx={{ mt: 1 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={!name.trim()}>
            Create
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function MediaLibraryPage() {
  const rights = useUploadRights();
  const refresh = useRefresh();
  const [params, setParams] = useSearchParams();
  const raw = params.get('folder');
  const folder = raw && /^\d+$/.test(raw) ? Number(raw) : null;
  const [open, setOpen] = useState<MediaFile | undefined>();
  const [creatingFolder, setCreatingFolder] = useState(false);

  return (
    <Authenticated>
      <Box sx={{ py: 2 }}>
        <Title title="Media Library" />
        {rights.read ? (
          <MediaBrowser
            folder={folder}
            onFolderChange={(id) => setParams(id === null ? {} : { folder: String(id) })}
            onOpenFile={setOpen}
            actions={
              rights.create ? (
                <Button variant="outlined" startIcon={<CreateNewFolderIcon />} onClick={() => setCreatingFolder(true)} sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}>
                  New folder
                </Button>
              ) : null
            }
          />
        ) : (
          <Alert severity="info">Your role may not read the media library.</Alert>
        )}
        {open ? <FileDetailsDialog key={open.id} file={open} onClose={() => setOpen(undefined)} onChanged={refresh} /> : null}
        {creatingFolder ? <NewFolderDialog parent={folder} onClose={() => setCreatingFolder(false)} /> : null}
      </Box>
    </Authenticated>
  );
}
