/**
 * Uploads one file for a message (issue 12). XMLHttpRequest, not fetch: only it reports upload progress.
 */
import { API } from '../../../../shared/http.js';
import type { AttachmentView } from '../../../../shared/schemas/index.js';
import { ApiError, errorFromBody } from '../errors.js';

export interface UploadHandle {
  done: Promise<AttachmentView>;
  abort(): void;
}

export function uploadAttachment(file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<AttachmentView>((resolve, reject) => {
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201) resolve(body as AttachmentView);
      else reject(errorFromBody(body, xhr.status));
    };
    xhr.onerror = () => reject(new ApiError('NETWORK', 'upload failed', null));
    xhr.onabort = () => reject(new ApiError('NETWORK', 'upload aborted', null));
  });
  const form = new FormData();
  form.append('file', file, file.name);
  xhr.open('POST', API.attachments);
  xhr.withCredentials = true;
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}

/** "1.2 MB", "340 KB", "12 B" in the user's language. */
export function fileSizeText(bytes: number, language: string): string {
  const [unit, value] = bytes >= 1024 * 1024 ? ['megabyte', bytes / (1024 * 1024)] : bytes >= 1024 ? ['kilobyte', bytes / 1024] : ['byte', bytes];
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value as number);
}
