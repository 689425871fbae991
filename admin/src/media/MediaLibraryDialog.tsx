// The media picker for forms (a media field of the content manager): browse or search the library,
// upload without leaving the dialog (what was uploaded is selected), and confirm one file — or
// several when `multiple`. Selection survives moving between folders and pages.
//
//   <MediaLibraryDialog open={open} multiple allowedTypes={['images']} initialSelection={value}
//     onClose={() => setOpen(false)} onSelect={(files) => field.onChange(files.map((f) => f.id))} />
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { accepts as typeAccepts, type MediaCategory, type MediaFile } from './api';
import { MediaBrowser } from './MediaBrowser';
import type { Selection } from './MediaGrid';
import { useTypesLabel } from './UploadZone';

export interface MediaLibraryDialogProps {
  open: boolean;
  onClose: () => void;
  /** The chosen files, in the order they were selected. */
  onSelect: (files: MediaFile[]) => void;
  multiple?: boolean;
  /** Files already chosen in the field. */
  initialSelection?: MediaFile[];
  /** A media field's allowedTypes: other files cannot be selected (the server refuses them too). */
  allowedTypes?: MediaCategory[];
  title?: string;
}

export function MediaLibraryDialog(props: MediaLibraryDialogProps) {
  // Mounted only while open: every opening starts from the field's current value.
  return props.open ? <PickerDialog {...props} /> : null;
}

function PickerDialog({
  onClose,
  onSelect,
  multiple = false,
  initialSelection = [],
  allowedTypes,
  title,
}: MediaLibraryDialogProps) {
  const [folder, setFolder] = useState<number | null>(null);
  const [chosen, setChosen] = useState<MediaFile[]>(initialSelection);
  const translate = useTranslate();
  const typesLabel = useTypesLabel();
  const accepts = (file: MediaFile) => typeAccepts(allowedTypes, file.mime);

  const selection: Selection = {
    isSelected: (file) => chosen.some((c) => c.id === file.id),
    toggle: (file) => {
      if (!accepts(file)) return;
      setChosen((current) => {
        if (current.some((c) => c.id === file.id)) return current.filter((c) => c.id !== file.id);
        return multiple ? [...current, file] : [file];
      });
    },
  };

  return (
    <Dialog open onClose={onClose} maxWidth="lg" fullWidth aria-labelledby="media-picker-title">
      <DialogTitle id="media-picker-title">
        {title ?? translate(multiple ? 'folio.media.picker.title_many' : 'folio.media.picker.title_one')}
      </DialogTitle>
      <DialogContent dividers sx={{ minHeight: 420 }}>
        <MediaBrowser
          folder={folder}
          onFolderChange={setFolder}
          selection={selection}
          perPage={18}
          initialType={allowedTypes?.length === 1 ? allowedTypes[0] : 'all'}
          allowedTypes={allowedTypes}
          onUploaded={(created) => {
            const usable = created.filter(accepts);
            setChosen((current) =>
              multiple ? [...current, ...usable.filter((f) => !current.some((c) => c.id === f.id))] : usable.slice(-1),
            );
          }}
        />
      </DialogContent>
      <DialogActions>
        <Typography variant="body2" color="text.secondary" sx={{ mr: 'auto', pl: 2 }}>
          {chosen.length === 0
            ? translate('folio.media.picker.nothing_selected')
            : translate('folio.media.picker.selected', { smart_count: chosen.length })}

          {allowedTypes?.length ? ` · ${translate('folio.media.accepts', { types: typesLabel(allowedTypes) })}` : ''}
        </Typography>
        <Button onClick={onClose}>{translate('folio.media.cancel')}</Button>
        <Button
          variant="contained"
          onClick={() => {
            onSelect(chosen);
            onClose();
          }}
        >
          {chosen.length
            ? translate('folio.media.picker.use', { smart_count: chosen.length })
            : translate('folio.media.picker.use_none')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
