// Rows of folio_files / folio_folders → the flat media shape of Strapi's upload plugin (docs/content-api.md, "Media").
export interface MediaFormat {
  name: string;
  hash: string;
  ext: string;
  mime: string;
  path: null;
  width: number;
  height: number;
  /** Kilobytes, two decimals. */
  size: number;
  sizeInBytes: number;
  url: string;
}

/** A crop rectangle, in pixels of the original once rotated. */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A point of a picture, each coordinate 0..1 (0,0 the top left corner). */
export interface FocalPoint {
  x: number;
  y: number;
}

/** How a file's formats are made from its untouched original (all empty: as uploaded). */
export interface ImageEdit {
  /** Clockwise quarter turns, in degrees. */
  rotation: 0 | 90 | 180 | 270;
  crop: CropRect | null;
  focalPoint: FocalPoint | null;
}

export interface MediaFile {
  id: number;
  documentId: string;
  name: string;
  alternativeText: string | null;
  caption: string | null;
  width: number | null;
  height: number | null;
  formats: Record<string, MediaFormat> | null;
  hash: string;
  ext: string;
  mime: string;
  size: number;
  url: string;
  previewUrl: string | null;
  /** A thumbhash (base64) for sites to paint while the image loads; null for non-images. */
  placeholder: string | null;
  provider: string;
  provider_metadata: Record<string, unknown> | null;
  folder: number | null;
  folderPath: string;
  /** Folio's edit of an image (rotation, crop, focal point), applied to its formats only. */
  rotation: ImageEdit['rotation'];
  crop: CropRect | null;
  focalPoint: FocalPoint | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string;
}

export interface FileRow {
  id: number;
  document_id: string;
  name: string;
  alternative_text: string | null;
  caption: string | null;
  width: number | null;
  height: number | null;
  formats: string | Record<string, MediaFormat> | null;
  hash: string;
  ext: string;
  mime: string;
  size: number | string;
  url: string;
  preview_url: string | null;
  placeholder: string | null;
  provider: string;
  provider_metadata: string | Record<string, unknown> | null;
  folder_id: number | null;
  rotation?: number | null;
  crop?: string | CropRect | null;
  focal_point?: string | FocalPoint | null;
  created_at: Date | string | number;
  updated_at: Date | string | number;
  created_by_id: number | null;
  updated_by_id: number | null;
}

export interface FolderRow {
  id: number;
  document_id: string;
  name: string;
  parent_id: number | null;
  path: string;
  created_at: Date | string | number;
  updated_at: Date | string | number;
  created_by_id: number | null;
  updated_by_id: number | null;
}

export interface MediaFolder {
  id: number;
  documentId: string;
  name: string;
  parent: number | null;
  path: string;
  createdAt: string;
  updatedAt: string;
}

export function toIso(value: Date | string | number): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  // SQLite CURRENT_TIMESTAMP text is UTC without a zone.
  return new Date(/Z|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`).toISOString();
}

function json<T>(value: string | T | null): T | null {
  if (value == null) return null;
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

const ROTATIONS: ReadonlyArray<ImageEdit['rotation']> = [0, 90, 180, 270];

/** A row's edit; a row read before the migration (or a stray value) is unedited. */
export function editOf(row: FileRow): ImageEdit {
  const rotation = ROTATIONS.find((r) => r === Number(row.rotation ?? 0)) ?? 0;
  return { rotation, crop: json<CropRect>(row.crop ?? null), focalPoint: json<FocalPoint>(row.focal_point ?? null) };
}

export function toMediaFile(row: FileRow, folderPath = '/'): MediaFile {
  const createdAt = toIso(row.created_at);
  return {
    id: row.id,
    documentId: row.document_id,
    name: row.name,
    alternativeText: row.alternative_text,
    caption: row.caption,
    width: row.width,
    height: row.height,
    formats: json<Record<string, MediaFormat>>(row.formats),
    hash: row.hash,
    ext: row.ext,
    mime: row.mime,
    size: Number(row.size),
    url: row.url,
    previewUrl: row.preview_url,
    placeholder: row.placeholder,
    provider: row.provider,
    provider_metadata: json<Record<string, unknown>>(row.provider_metadata),
    folder: row.folder_id,
    folderPath,
    ...editOf(row),
    createdAt,
    updatedAt: toIso(row.updated_at),
    publishedAt: createdAt,
  };
}

export function toMediaFolder(row: FolderRow): MediaFolder {
  return {
    id: row.id,
    documentId: row.document_id,
    name: row.name,
    parent: row.parent_id,
    path: row.path,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

/** Kilobytes with two decimals, as Strapi reports sizes. */
export function kilobytes(bytes: number): number {
  return Math.round((bytes / 1024) * 100) / 100;
}
