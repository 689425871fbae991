// Tiles of the media library: folders first, then files with their thumbnails. Every tile is a
// button (keyboard and screen readers reach it); selection is a checkbox beside it.
import { useTranslate } from 'react-admin';
import { Box, Card, CardActionArea, Checkbox, Typography } from '@mui/material';
import FolderIcon from '@mui/icons-material/Folder';
import MovieIcon from '@mui/icons-material/Movie';
import AudioFileIcon from '@mui/icons-material/AudioFile';
import InsertDriveFileIcon from '@mui/icons-material/InsertDriveFile';
import { categoryOf, humanSize, thumbnailUrl, type MediaFile, type MediaFolder } from './api';

const TILE = { xs: 'repeat(auto-fill, minmax(140px, 1fr))', sm: 'repeat(auto-fill, minmax(170px, 1fr))' };

function FileIcon({ mime }: { mime: string }) {
  const category = categoryOf(mime);
  const Icon = category === 'videos' ? MovieIcon : category === 'audios' ? AudioFileIcon : InsertDriveFileIcon;
  return <Icon sx={{ fontSize: 48, color: 'text.secondary' }} />;
}

export function FolderTiles({ folders, onOpen }: { folders: MediaFolder[]; onOpen: (folder: MediaFolder) => void }) {
  const translate = useTranslate();
  if (folders.length === 0) return null;
  return (
    <Box
      role="list"
      aria-label={translate('folio.media.grid.folders')}
      sx={{ display: 'grid', gridTemplateColumns: TILE, gap: 1.5, mb: 2 }}
    >
      {folders.map((folder) => (
        <Card key={folder.id} role="listitem" variant="outlined">
          <CardActionArea
            onClick={() => onOpen(folder)}
            aria-label={translate('folio.media.grid.open_folder', { name: folder.name })}
            sx={{ display: 'flex', justifyContent: 'flex-start', gap: 1, p: 1.5 }}
          >
            <FolderIcon color="primary" />
            <Typography variant="body2" noWrap>
              {folder.name}
            </Typography>
          </CardActionArea>
        </Card>
      ))}
    </Box>
  );
}

export interface Selection {
  isSelected(file: MediaFile): boolean;
  toggle(file: MediaFile): void;
}

export function FileTiles({
  files,
  onOpen,
  selection,
}: {
  files: MediaFile[];
  onOpen?: (file: MediaFile) => void;
  selection?: Selection;
}) {
  const translate = useTranslate();
  return (
    <Box
      role="list"
      aria-label={translate('folio.media.grid.files')}
      sx={{ display: 'grid', gridTemplateColumns: TILE, gap: 1.5 }}
    >
      {files.map((file) => {
        const thumb = thumbnailUrl(file);
        const selected = selection?.isSelected(file) ?? false;
        return (
          <Card
            key={file.id}
            role="listitem"
            aria-label={file.name}
            variant="outlined"
            sx={{
              position: 'relative',
              borderColor: selected ? 'primary.main' : undefined,
              borderWidth: selected ? 2 : 1,
            }}
          >
            {selection ? (
              <Checkbox
                checked={selected}
                onChange={() => selection.toggle(file)}
                slotProps={{ input: { 'aria-label': translate('folio.media.grid.select', { name: file.name }) } }}
                sx={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  zIndex: 1,
                  bgcolor: 'background.paper',
                  borderRadius: 1,
                  m: 0.5,
                  p: 0.25,
                }}
              />
            ) : null}
            <CardActionArea
              onClick={() => (onOpen ? onOpen(file) : selection?.toggle(file))}
              aria-label={translate(onOpen ? 'folio.media.grid.details' : 'folio.media.grid.select', {
                name: file.name,
              })}
            >
              <Box
                sx={{
                  height: 120,
                  display: 'flex',
                  alignItems: 'center',
                  justifyContent: 'center',
                  bgcolor: 'action.hover',
                  overflow: 'hidden',
                }}
              >
                {thumb ? (
                  <Box
                    component="img"
                    src={thumb}
                    alt={file.alternativeText ?? ''}
                    loading="lazy"
                    sx={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' }}
                  />
                ) : (
                  <FileIcon mime={file.mime} />
                )}
              </Box>
              <Box sx={{ p: 1 }}>
                <Typography variant="body2" noWrap title={file.name}>
                  {file.name}
                </Typography>
                <Typography variant="caption" color="text.secondary">
                  {file.ext.replace(/^\./, '').toUpperCase()} · {humanSize(file.size)}
                  {file.width && file.height ? ` · ${file.width}×${file.height}` : ''}
                </Typography>
              </Box>
            </CardActionArea>
          </Card>
        );
      })}
    </Box>
  );
}
