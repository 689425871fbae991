// The media library's side of the Admin API (README, "Media library"): the shapes the server
// answers, and the multipart requests the generic dataProvider cannot make — uploads and replaces go
// through XMLHttpRequest because fetch cannot report upload progress.
import { createMongoAbility, subject, type ForcedSubject, type MongoAbility } from '@casl/ability';
import prettyBytes from 'pretty-bytes';
import { usePermissions } from 'react-admin';
import { abilityOf, type Permission } from '../authProvider';
import { API_ROOT } from '../dataProvider';
import { api, currentCsrfToken, httpError } from '../http';

export type MediaCategory = 'images' | 'videos' | 'audios' | 'files';

export interface MediaFormat {
  url: string;
  width: number;
  height: number;
  mime: string;
  size: number;
  sizeInBytes?: number;
}

/** A crop rectangle, in pixels of the original once rotated. */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How the formats are made from the untouched original (server/media/shape.ts, ImageEdit). */
export interface ImageEdit {
  rotation: 0 | 90 | 180 | 270;
  crop: CropRect | null;
  /** 0..1 of the cropped picture: where the thumbnail is centred. */
  focalPoint: { x: number; y: number } | null;
}

/** A file as /admin-api/upload/files answers it (server/media/shape.ts). */
export interface MediaFile {
  id: number;
  documentId: string;
  name: string;
  alternativeText: string | null;
  caption: string | null;
  width: number | null;
  height: number | null;
  formats: Partial<Record<'thumbnail' | 'small' | 'medium' | 'large', MediaFormat>> | null;
  hash: string;
  ext: string;
  mime: string;
  /** Kilobytes. */
  size: number;
  url: string;
  previewUrl: string | null;
  provider: string;
  provider_metadata: Record<string, unknown> | null;
  folder: number | null;
  folderPath: string;
  rotation?: ImageEdit['rotation'];
  crop?: CropRect | null;
  focalPoint?: ImageEdit['focalPoint'];
  /** The admin who uploaded it (Admin API answers only); null for the CLI, the demo, API tokens. */
  createdBy?: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface MediaFolder {
  id: number;
  name: string;
  parent: number | null;
  /** Ids from the root: "/1/4". */
  path: string;
  createdBy?: number | null;
}

export const FILES = 'upload/files';
export const FOLDERS = 'upload/folders';

/** What the grid shows: the thumbnail format when the server made one, else the image itself. */
export function thumbnailUrl(file: MediaFile): string | undefined {
  if (file.formats?.thumbnail?.url) return file.formats.thumbnail.url;
  return file.mime.startsWith('image/') ? file.url : undefined;
}

export function categoryOf(mime: string): MediaCategory {
  if (mime.startsWith('image/')) return 'images';
  if (mime.startsWith('video/')) return 'videos';
  if (mime.startsWith('audio/')) return 'audios';
  return 'files';
}

export function absoluteUrl(url: string): string {
  return new URL(url, window.location.origin).toString();
}

/** A size for people ("1.2 MB"), from the kilobytes the server reports (1 KB = 1024 bytes). */
export function humanSize(kilobytes: number): string {
  return prettyBytes(Math.round(kilobytes * 1024), { maximumFractionDigits: 1 });
}

/** What a field's allowedTypes lets the browser's file chooser offer (`accept`). */
const ACCEPT: Record<Exclude<MediaCategory, 'files'>, string> = {
  images: 'image/*',
  videos: 'video/*',
  audios: 'audio/*',
};

/**
 * The `accept` attribute for these allowedTypes; undefined (anything) when none or when `files`
 * is allowed: "any other file" has no wildcard, and the drop check still refuses the rest.
 */
export function acceptOf(allowedTypes: readonly MediaCategory[] | undefined): string | undefined {
  if (!allowedTypes?.length || allowedTypes.includes('files')) return undefined;
  return allowedTypes.map((t) => ACCEPT[t as Exclude<MediaCategory, 'files'>]).join(',');
}

/** Whether a browser File suits these allowedTypes (by its type: the server checks the bytes). */
export function accepts(allowedTypes: readonly MediaCategory[] | undefined, mime: string): boolean {
  return !allowedTypes?.length || allowedTypes.includes(categoryOf(mime));
}

/** An entry using a file, as GET /admin-api/upload/files/:id/used-by names it (readable ones only). */
export interface FileUse {
  uid: string;
  displayName: string;
  kind: 'collectionType' | 'singleType';
  documentId: string;
  label: string | null;
  locale: string | null;
  fields: string[];
}

export async function fileUsage(id: number): Promise<{ entries: FileUse[]; hidden: number }> {
  const { json } = await api<{ data: { entries: FileUse[]; hidden: number } }>(
    `${API_ROOT}/upload/files/${id}/used-by`,
  );
  return json.data;
}

/** Rotates, crops or sets the focal point of an image: its formats are made anew, the original kept. */
export async function editImage(id: number, edit: ImageEdit): Promise<MediaFile> {
  const { json } = await api<{ data: MediaFile }>(`${API_ROOT}/upload/files/${id}/edit`, {
    method: 'PUT',
    body: edit,
  });
  return json.data;
}

/** What the signed-in role may do with media (subject `upload`); the server enforces regardless. */
export function useUploadRights(): { read: boolean; create: boolean; update: boolean; delete: boolean } {
  const { permissions } = usePermissions<Permission[]>();
  const ability = abilityOf(permissions ?? []);
  return {
    read: ability.can('read', 'upload'),
    create: ability.can('create', 'upload'),
    update: ability.can('update', 'upload'),
    delete: ability.can('delete', 'upload'),
  };
}

/**
 * What the role may do with this file or folder: a role limited to its own (the Author) may update
 * or delete only those it created. The rules' conditions are checked against the item; a condition
 * the browser cannot evaluate leaves the button shown, and the server answers.
 */
type RecordAbility = MongoAbility<[string, string | (Record<string, unknown> & ForcedSubject<string>)]>;

export function useRightsOn(): (item: MediaFile | MediaFolder) => { update: boolean; delete: boolean } {
  const { permissions } = usePermissions<Permission[]>();
  // The same rules, asked about one record rather than the subject type.
  const ability = createMongoAbility<RecordAbility>(permissions ?? []);
  const can = (action: string, item: MediaFile | MediaFolder) => {
    try {
      const fields: Record<string, unknown> = { ...item };
      return ability.can(action, subject('upload', fields));
    } catch {
      return ability.can(action, 'upload');
    }
  };
  return (item) => ({ update: can('update', item), delete: can('delete', item) });
}

/**
 * POSTs one multipart request, reporting the bytes sent (0–1) as they leave. Resolves with the
 * answer's `data`, rejects with react-admin's HttpError carrying the server's message.
 */
function sendMultipart<T>(
  url: string,
  form: FormData,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    const token = currentCsrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      let json: unknown;
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        json = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve((json as { data: T }).data);
      } else reject(httpError(xhr.status, xhr.statusText, json));
    };
    // Messages are keys of i18n.ts: the dashboard translates them where it shows them.
    xhr.onerror = () => reject(new Error('folio.media.upload.unreachable'));
    xhr.onabort = () => reject(new DOMException('folio.media.upload.cancelled', 'AbortError'));

    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** Uploads one file into a folder (null: the root). The server answers the created files. */
export async function uploadFile(
  file: File,
  options: { folder: number | null; onProgress?: (fraction: number) => void; signal?: AbortSignal },
): Promise<MediaFile> {
  const form = new FormData();
  if (options.folder !== null) form.append('folder', String(options.folder));
  form.append('files', file, file.name);
  const created = await sendMultipart<MediaFile[]>(
    `${API_ROOT}/upload/files`,
    form,
    options.onProgress,
    options.signal,
  );
  return created[0];
}

/** Replaces a file's content, keeping its id (and so every entry that links to it). */
export function replaceFile(id: number, file: File, onProgress?: (fraction: number) => void): Promise<MediaFile> {
  const form = new FormData();
  form.append('files', file, file.name);
  return sendMultipart<MediaFile>(`${API_ROOT}/upload/files/${id}/replace`, form, onProgress);
}
