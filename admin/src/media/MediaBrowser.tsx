// Browsing the media library: search, type filter, breadcrumbs, the folders of the current folder,
// its files a page at a time, and the upload zone. Shared by the Media Library page and the
// MediaLibraryDialog picker, which differ only in what a click on a file does.
import { useEffect, useState, type ReactNode } from 'react';
import { useGetList, useGetMany, useGetOne, useTranslate } from 'react-admin';
import {
  Alert,
  Box,
  Breadcrumbs,
  Button,
  Collapse,
  InputAdornment,
  Link,
  Pagination,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import CloudUploadIcon from '@mui/icons-material/CloudUpload';
import { FILES, FOLDERS, useUploadRights, type MediaCategory, type MediaFile, type MediaFolder } from './api';
import { FileTiles, FolderTiles, type Selection } from './MediaGrid';
import { UploadZone } from './UploadZone';

const TYPES: { value: MediaCategory | 'all'; label: string }[] = [
  { value: 'all', label: 'folio.media.filter.all' },
  { value: 'images', label: 'folio.media.filter.images' },
  { value: 'videos', label: 'folio.media.filter.videos' },
  { value: 'audios', label: 'folio.media.filter.audios' },
  { value: 'files', label: 'folio.media.filter.files' },
];

/** Typing settles for this long before the list is asked again. */
const SEARCH_DELAY_MS = 300;

// The folder routes take no sort parameter: they answer by name.
const NO_SORT = { field: '', order: 'ASC' as const };

export interface MediaBrowserProps {
  folder: number | null;
  onFolderChange: (folder: number | null) => void;
  onOpenFile?: (file: MediaFile) => void;
  selection?: Selection;
  /** Extra buttons beside "Upload files" (the page's "New folder"). */
  actions?: ReactNode;
  perPage?: number;
  /** Called after uploads, with the new files (the picker selects them). */
  onUploaded?: (files: MediaFile[]) => void;
  /** The type filter to start with (a picker for images only starts on images). */
  initialType?: MediaCategory | 'all';
  /** A picker's field: what uploads may be (its allowedTypes). */
  allowedTypes?: readonly MediaCategory[];
}

export function FolderBreadcrumbs({
  folder,
  onFolderChange,
}: {
  folder: number | null;
  onFolderChange: (folder: number | null) => void;
}) {
  const translate = useTranslate();
  const { data: current } = useGetOne<MediaFolder>(FOLDERS, { id: folder ?? 0 }, { enabled: folder !== null });
  const ancestorIds = (current?.path ?? '')
    .split('/')
    .filter(Boolean)
    .map(Number)
    .filter((id) => id !== folder);
  const { data: ancestors } = useGetMany<MediaFolder>(
    FOLDERS,
    { ids: ancestorIds },
    { enabled: ancestorIds.length > 0 },
  );
  return (
    <Breadcrumbs aria-label={translate('folio.media.folder.path')} sx={{ mb: 2 }}>
      {folder === null ? (
        <Typography color="text.primary">{translate('folio.media.library')}</Typography>
      ) : (
        <Link component="button" type="button" underline="hover" onClick={() => onFolderChange(null)}>
          {translate('folio.media.library')}
        </Link>
      )}
      {(ancestors ?? []).map((a) => (
        <Link key={a.id} component="button" type="button" underline="hover" onClick={() => onFolderChange(a.id)}>
          {a.name}
        </Link>
      ))}
      {current && folder !== null ? (
        <Typography color="text.primary" aria-current="page">
          {current.name}
        </Typography>
      ) : null}
    </Breadcrumbs>
  );
}

export function MediaBrowser({
  folder,
  onFolderChange,
  onOpenFile,
  selection,
  actions,
  perPage = 24,
  onUploaded,
  initialType = 'all',
  allowedTypes,
}: MediaBrowserProps) {
  const rights = useUploadRights();
  const translate = useTranslate();
  const [type, setType] = useState<MediaCategory | 'all'>(initialType);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [uploading, setUploading] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);
  useEffect(() => setPage(1), [q, type, folder]);

  // A search looks in every folder: one rarely remembers where a file was put.
  const filter: Record<string, string> = q ? { q } : { folder: folder === null ? 'null' : String(folder) };
  if (type !== 'all') filter.type = type;
  const files = useGetList<MediaFile>(FILES, {
    pagination: { page, perPage },
    sort: { field: 'createdAt', order: 'DESC' },
    filter,
  });
  const folders = useGetList<MediaFolder>(
    FOLDERS,
    {
      pagination: { page: 1, perPage: 100 },
      sort: NO_SORT,
      filter: { parent: folder === null ? 'null' : String(folder) },
    },
    { enabled: !q },
  );
  const pageCount = Math.max(1, Math.ceil((files.total ?? 0) / perPage));

  return (
    // Files dragged over the library open the drop zone, so it need not be opened first.
    <Box onDragEnter={(event) => rights.create && event.dataTransfer.types.includes('Files') && setUploading(true)}>
      {/* Wraps rather than overflows (1366 px with a folder's buttons): Upload stays in view. */}
      <Stack
        direction="row"
        spacing={1.5}
        useFlexGap
        aria-label={translate('folio.media.toolbar')}
        role="toolbar"
        sx={{ mb: 2, alignItems: 'center', flexWrap: 'wrap' }}
      >
        <TextField
          size="small"
          label={translate('folio.media.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon fontSize="small" />
                </InputAdornment>
              ),
            },
          }}
          sx={{ flex: '1 1 220px', maxWidth: { sm: 360 } }}
        />
        <ToggleButtonGroup
          size="small"
          exclusive
          value={type}
          onChange={(_event, value: MediaCategory | 'all' | null) => value && setType(value)}
          aria-label={translate('folio.media.filter.label')}
          sx={{ flexWrap: 'wrap' }}
        >
          {TYPES.map((t) => (
            <ToggleButton key={t.value} value={t.value}>
              {translate(t.label)}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {/* The buttons wrap as one group, kept to the right: Upload last, never pushed out. */}
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', ml: 'auto', justifyContent: 'flex-end' }}>
          {actions}
          {rights.create ? (
            <Button
              variant={uploading ? 'outlined' : 'contained'}
              startIcon={<CloudUploadIcon />}
              onClick={() => setUploading((open) => !open)}
              aria-expanded={uploading}
              sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
            >
              {translate('folio.media.upload.open')}
            </Button>
          ) : null}
        </Stack>
      </Stack>
      {rights.create ? (
        <Collapse in={uploading} unmountOnExit={false}>
          <Box sx={{ mb: 2 }}>
            <UploadZone
              folder={folder}
              allowedTypes={allowedTypes}
              onUploaded={(created) => {
                void files.refetch();
                onUploaded?.(created);
              }}
            />
          </Box>
        </Collapse>
      ) : null}
      {q ? (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate('folio.media.results', { q })}
        </Typography>
      ) : (
        <FolderBreadcrumbs folder={folder} onFolderChange={onFolderChange} />
      )}
      {!q ? <FolderTiles folders={folders.data ?? []} onOpen={(f) => onFolderChange(f.id)} /> : null}
      {files.error ? <Alert severity="error">{files.error.message}</Alert> : null}
      {!files.isPending && (files.data ?? []).length === 0 ? (
        <Typography color="text.secondary" sx={{ py: 4, textAlign: 'center' }}>
          {translate(q || type !== 'all' ? 'folio.media.no_match' : 'folio.media.empty')}
        </Typography>
      ) : (
        <FileTiles files={files.data ?? []} onOpen={onOpenFile} selection={selection} />
      )}
      {pageCount > 1 ? (
        <Pagination
          sx={{ mt: 2, display: 'flex', justifyContent: 'center' }}
          count={pageCount}
          page={page}
          onChange={(_e, p) => setPage(p)}
        />
      ) : null}
    </Box>
  );
}
