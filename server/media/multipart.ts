// Streams a multipart request to temporary files with busboy: no file is ever held whole in
// memory, a file over the size limit is cut off at the limit (413) and nothing of it stays on disk.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { PayloadTooLargeError, ValidationError } from '../errors.js';

export interface ReceivedFile {
  field: string;
  /** The client's file name, untrusted (sanitised by the service). */
  filename: string;
  /** The client's Content-Type, untrusted (the service sniffs the bytes). */
  declaredMime: string;
  path: string;
  size: number;
}

export interface Multipart {
  files: ReceivedFile[];
  fields: Record<string, string>;
  /** Removes the temporary files (always call it, success or not). */
  cleanup(): Promise<void>;
}

export interface MultipartLimits {
  maxFileBytes: number;
  maxFiles?: number;
}

export async function receiveMultipart(req: IncomingMessage, limits: MultipartLimits): Promise<Multipart> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type))
    throw new ValidationError('Expected a multipart/form-data body with a "files" field');
  // A body larger than every allowed file together cannot succeed: refuse it before reading it.
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxFileBytes * (limits.maxFiles ?? 20) + 1024 * 1024) {
    throw new PayloadTooLargeError(`The upload is larger than the limit of ${limits.maxFileBytes} bytes per file`, {
      maxBytes: limits.maxFileBytes,
    });
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'folio-upload-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const files: ReceivedFile[] = [];
  const fields: Record<string, string> = {};

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // Browsers send a file name as raw UTF-8 in `filename="…"`; busboy's default reads it as
      // latin1 (ü…😀.png became Ã¼…). RFC 5987's filename*= names its own charset either way.
      defParamCharset: 'utf8',
      limits: {
        fileSize: limits.maxFileBytes,
        files: limits.maxFiles ?? 20,
        fields: 50,
        fieldSize: 1024 * 1024,
        parts: 100,
      },
    });
  } catch {
    await cleanup();
    throw new ValidationError('Malformed multipart body');
  }

  try {
    await new Promise<void>((resolve, reject) => {
      let failure: Error | null = null;
      const writes: Promise<void>[] = [];
      const fail = (err: Error) => {
        failure ??= err;
      };

      parser.on('file', (field, stream, info) => {
        if (failure) {
          stream.resume();
          return;
        }
        const index = files.length;
        const target = path.join(dir, `part-${index}`);
        const entry: ReceivedFile = {
          field,
          filename: info.filename ?? 'file',
          declaredMime: info.mimeType,
          path: target,
          size: 0,
        };
        files.push(entry);
        const out = createWriteStream(target);
        stream.on('data', (chunk: Buffer) => (entry.size += chunk.length));
        stream.on('limit', () => {
          fail(
            new PayloadTooLargeError(
              `"${info.filename}" is larger than the upload limit of ${limits.maxFileBytes} bytes`,
              { maxBytes: limits.maxFileBytes },
            ),
          );
          // Keep reading (and discarding) the rest of the request so that the client gets the answer.
          stream.unpipe(out);
          out.destroy();
          stream.resume();
        });
        writes.push(
          new Promise<void>((done) => {
            out.on('close', () => done());
            out.on('error', (err) => {
              fail(err);
              done();
            });
          }),
        );
        stream.pipe(out);
      });
      parser.on('field', (name, value, info) => {
        if (info.valueTruncated) fail(new ValidationError(`The form field "${name}" is too long`));
        fields[name] = value;
      });
      parser.on('filesLimit', () => fail(new ValidationError(`At most ${limits.maxFiles ?? 20} files per request`)));
      parser.on('partsLimit', () => fail(new ValidationError('Too many parts in the multipart body')));
      parser.on('error', () => {
        const malformed = new ValidationError('Malformed multipart body');
        fail(malformed);
        req.unpipe(parser);
        req.resume();
        reject(failure ?? malformed);
      });
      parser.on('close', () => {
        void Promise.all(writes).then(() => (failure ? reject(failure) : resolve()));
      });
      req.on('aborted', () => reject(new ValidationError('The upload was aborted')));
      req.pipe(parser);
    });
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { files, fields, cleanup };
}
