// The Media Library page (/admin/media-library): browse folders and files, upload, create, rename
// and delete folders, and open a file's details. The folder is in the URL (?folder=4) so a reload,
// the back button and a shared link land in the same place.
import { useState } from 'react';
import {
  Authenticated,
  Confirm,
  Title,
  useDataProvider,
  useGetOne,
  useNotify,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField } from '@mui/material';
import CreateNewFolderIcon from '@mui/icons-material/CreateNewFolder';
import DriveFileRenameOutlineIcon from '@mui/icons-material/DriveFileRenameOutline';
import FolderDeleteIcon from '@mui/icons-material/FolderDelete';
import { FOLDERS, useRightsOn, useUploadRights, type MediaFile, type MediaFolder } from './api';
import { FileDetailsDialog } from './FileDetailsDialog';
import { MediaBrowser } from './MediaBrowser';

const NO_WRAP = { whiteSpace: 'nowrap', flexShrink: 0 } as const;

/** Creates a folder in `parent`, or renames `folder`. */
function FolderNameDialog({
  parent,
  folder,
  onClose,
}: {
  parent: number | null;
  folder?: MediaFolder;
  onClose: () => void;
}) {
  const dataProvider = useDataProvider();
  const notify = useNotify();
  const refresh = useRefresh();
  const [name, setName] = useState(folder?.name ?? '');
  const [error, setError] = useState<string | undefined>();
  const translate = useTranslate();
  const title = translate(folder ? 'folio.media.folder.rename' : 'folio.media.folder.new');
  const submit = async () => {
    try {
      if (folder) {
        await dataProvider.update<MediaFolder>(FOLDERS, {
          id: folder.id,
          data: { name: name.trim() },
          previousData: folder,
        });
        notify('folio.media.folder.renamed', { type: 'success', messageArgs: { name: name.trim() } });
      } else {
        await dataProvider.create<MediaFolder>(FOLDERS, { data: { name: name.trim(), parent } });
        notify('folio.media.folder.created', { type: 'success', messageArgs: { name: name.trim() } });
      }
      refresh();
      onClose();
    } catch (err) {
      const body = (err as { body?: { errors?: Record<string, string> } }).body;
      setError(
        body?.errors?.name ?? (err instanceof Error ? err.message : translate('folio.media.folder.save_failed')),
      );
    }
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby="folder-name-title" maxWidth="xs" fullWidth>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <DialogTitle id="folder-name-title">{title}</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            label={translate('folio.media.folder.name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={Boolean(error)}
            helperText={error}
            fullWidth
            sx={{ mt: 1 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate('folio.media.cancel')}</Button>
          <Button type="submit" variant="contained" disabled={!name.trim() || name.trim() === folder?.name}>
            {translate(folder ? 'folio.media.folder.rename_submit' : 'folio.media.folder.create_submit')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function MediaLibraryPage() {
  const rights = useUploadRights();
  const rightsOn = useRightsOn();
  const refresh = useRefresh();
  const notify = useNotify();
  const dataProvider = useDataProvider();
  const translate = useTranslate();
  const [params, setParams] = useSearchParams();
  const raw = params.get('folder');
  const folder = raw && /^\d+$/.test(raw) ? Number(raw) : null;
  const { data: current } = useGetOne<MediaFolder>(FOLDERS, { id: folder ?? 0 }, { enabled: folder !== null });
  const [open, setOpen] = useState<MediaFile | undefined>();
  const [naming, setNaming] = useState<'new' | 'rename' | undefined>();
  const [deleting, setDeleting] = useState(false);
  const goTo = (id: number | null) => setParams(id === null ? {} : { folder: String(id) });

  const deleteFolder = async () => {
    setDeleting(false);
    if (!current) return;
    try {
      await dataProvider.delete<MediaFolder>(FOLDERS, { id: current.id, previousData: current });
      notify('folio.media.folder.deleted', { type: 'success', messageArgs: { name: current.name } });
      goTo(current.parent);
      refresh();
    } catch (err) {
      // A folder that still holds files or folders is refused (409): the server says what is left.
      notify(err instanceof Error ? err.message : 'folio.media.folder.delete_failed', { type: 'error' });
    }
  };

  const inFolder = folder !== null && current !== undefined;
  const folderRights = current ? rightsOn(current) : { update: false, delete: false };
  return (
    <Authenticated>
      <Box sx={{ py: 2 }}>
        <Title title={translate('folio.media.library')} />
        {rights.read ? (
          <MediaBrowser
            folder={folder}
            onFolderChange={goTo}
            onOpenFile={setOpen}
            actions={
              <>
                {inFolder && folderRights.update ? (
                  <Button startIcon={<DriveFileRenameOutlineIcon />} onClick={() => setNaming('rename')} sx={NO_WRAP}>
                    {translate('folio.media.folder.rename')}
                  </Button>
                ) : null}
                {inFolder && folderRights.delete ? (
                  <Button color="error" startIcon={<FolderDeleteIcon />} onClick={() => setDeleting(true)} sx={NO_WRAP}>
                    {translate('folio.media.folder.delete')}
                  </Button>
                ) : null}
                {rights.create ? (
                  <Button
                    variant="outlined"
                    startIcon={<CreateNewFolderIcon />}
                    onClick={() => setNaming('new')}
                    sx={NO_WRAP}
                  >
                    {translate('folio.media.folder.new')}
                  </Button>
                ) : null}
              </>
            }
          />
        ) : (
          <Alert severity="info">{translate('folio.media.no_access')}</Alert>
        )}
        {open ? (
          <FileDetailsDialog key={open.id} file={open} onClose={() => setOpen(undefined)} onChanged={refresh} />
        ) : null}
        {naming ? (
          <FolderNameDialog
            parent={folder}
            folder={naming === 'rename' ? current : undefined}
            onClose={() => setNaming(undefined)}
          />
        ) : null}
        <Confirm
          isOpen={deleting}
          title="folio.media.folder.delete_title"
          translateOptions={{ name: current?.name ?? '' }}
          content="folio.media.folder.delete_hint"
          confirm="folio.media.delete"

          onConfirm={() => void deleteFolder()}
          onClose={() => setDeleting(false)}
        />
      </Box>
    </Authenticated>
  );
}
