// What a list cell shows for each kind of column: values as react-admin's fields, to-one relations
// by their label, media as a small thumbnail (a file icon for what is not an image), the status chip.
import type { ReactElement } from 'react';
import {
  BooleanField,
  DataTable,
  DateField,
  FunctionField,
  NumberField,
  ReferenceField,
  TextField,
  useRecordContext,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { Box, Stack, Tooltip, Typography } from '@mui/material';
import InsertDriveFileIcon from '@mui/icons-material/InsertDriveFile';
import { thumbnailUrl, type MediaFile } from '../../media/api';
import { collectionResource, isMemberTarget, labelOf } from '../schema';
import { memberText } from '../inputs';
import { StatusChip } from '../StatusChip';
import { isSortable, type ListColumn } from './columns';

function isFile(value: unknown): value is MediaFile {
  return typeof value === 'object' && value !== null && 'mime' in value && 'url' in value;
}

/** A media field's files, whether it holds one or several. */
export function filesOf(value: unknown): MediaFile[] {
  return (Array.isArray(value) ? value : [value]).filter(isFile);
}

/** A file as a small square: its thumbnail format when it is an image, else a file icon. */
export function MediaThumbnail({ file, size = 40 }: { file: MediaFile; size?: number }) {
  const url = thumbnailUrl(file);
  const alt = file.alternativeText || file.name;
  if (url) {
    return (
      <Box
        component="img"
        src={url}
        alt={alt}
        loading="lazy"
        sx={{ width: size, height: size, objectFit: 'cover', borderRadius: 1, display: 'block' }}
      />
    );
  }
  return (
    <Tooltip title={file.name}>
      <InsertDriveFileIcon role="img" aria-label={alt} color="action" sx={{ fontSize: size * 0.8 }} />
    </Tooltip>
  );
}

function MediaCell({ source }: { source: string }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const files = filesOf(record?.[source]);
  if (!files.length) return <>—</>;
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <MediaThumbnail file={files[0]} />
      {files.length > 1 ? (
        <Typography variant="caption" color="text.secondary">
          {translate('folio.lists.more_files', { count: files.length - 1 })}
        </Typography>
      ) : null}
    </Stack>
  );
}

function attributeCell(column: Extract<ListColumn, { kind: 'attribute' }>): ReactElement {
  const { source, attribute } = column;
  switch (attribute.type) {
    case 'relation':
      if (isMemberTarget(attribute.target))
        return (
          <ReferenceField source={source} reference="members" link={false} emptyText="—">
            <FunctionField render={memberText} />
          </ReferenceField>
        );
      return (
        <ReferenceField
          source={source}
          reference={collectionResource(attribute.target ?? '')}
          link={false}
          emptyText="—"
        />
      );
    case 'media':
      return <MediaCell source={source} />;
    case 'integer':
    case 'float':
    case 'decimal':
      return <NumberField source={source} />;
    case 'boolean':
      return <BooleanField source={source} />;
    case 'date':
      return <DateField source={source} />;
    case 'datetime':
      return <DateField source={source} showTime />;
    default:
      return <TextField source={source} />;
  }
}

function systemCell(column: Extract<ListColumn, { kind: 'system' }>): ReactElement {
  switch (column.source) {
    case '__status':
      return <FunctionField render={(r: RaRecord) => <StatusChip record={r} />} />;
    case 'locale':
      return <TextField source="locale" />;
    default:
      return <DateField source={column.source} showTime emptyText="—" />;
  }
}

/** The column's header: the attribute's name as editors read it, or the system field's word. */
export function useColumnLabel(): (column: ListColumn) => string {
  const translate = useTranslate();
  return (column) =>
    column.kind === 'system' ? translate(`folio.lists.system.${column.source}`) : labelOf(column.source);
}

/** One DataTable column; its source names it in the column chooser and the saved choice. */
export function columnOf(column: ListColumn, label: string): ReactElement {
  return (
    <DataTable.Col key={column.source} source={column.source} label={label} disableSort={!isSortable(column)}>
      {column.kind === 'system' ? systemCell(column) : attributeCell(column)}
    </DataTable.Col>
  );
}
