// The HTTP API client: every page asks the server through here, so errors have one shape.
// The server answers errors as {"error":{"code","message"}}: `code` is stable English for the
// program, `message` is Russian for the person and is what the page shows.
import { kSavedHeader, noteAnswer } from './offline';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  // error.details as the server sent it: a list of field errors for 422 invalid_fields, an object
  // for some others (409 stale_revision carries {"revision"}); read it through fieldErrorsOf().
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

// Shown when the server gave no usable message of its own (network down, proxy page, bad JSON).
const kFallbackByStatus: Record<number, string> = {
  400: 'Сервер не понял запрос.',
  401: 'Нужно войти на сайт.',
  403: 'Недостаточно прав для этого действия.',
  404: 'Не найдено.',
  409: 'Конфликт с текущим состоянием данных.',
  413: 'Файл или запрос слишком велик.',
  415: 'Этот тип файла не принимается.',
  422: 'Проверьте введённые данные.',
  429: 'Слишком много попыток. Подождите немного и попробуйте снова.',
};

function fallbackMessage(status: number): string {
  return kFallbackByStatus[status] ?? (status >= 500 ? 'Ошибка на сервере. Попробуйте позже.' : `Ошибка запроса (${status}).`);
}

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

// Sends a request and returns the parsed JSON body; throws ApiError for any failure, including
// a dropped connection (status 0, code "network"), so callers catch one kind of error. An answer the
// service worker gave from what it kept (offline) is noted for the page's notice (lib/offline.ts).
export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.signal) init.signal = options.signal;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Нет связи с сервером. Проверьте подключение к интернету.');
  }

  noteAnswer(response.headers.get(kSavedHeader));
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }

  if (!response.ok) {
    const error = errorOf(parsed);
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message || fallbackMessage(response.status), error?.details);
  }
  if (parsed === undefined && text !== '') {
    throw new ApiError(response.status, 'bad_response', 'Сервер прислал непонятный ответ.');
  }
  return (parsed ?? {}) as T;
}

function errorOf(body: unknown): { code?: string; message?: string; details?: unknown } | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  const out: { code?: string; message?: string; details?: unknown } = {};
  if (typeof code === 'string') out.code = code;
  if (typeof message === 'string') out.message = message;
  if (details !== undefined) out.details = details;
  return out;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface FieldError {
  path: string;
  code: string;
  message: string;
}

// The field errors of a 422 (error.details) or of a practice's `missing`; anything else → [].
export function fieldErrorsOf(value: unknown): FieldError[] {
  const list = value instanceof ApiError ? value.details : value;
  if (!Array.isArray(list)) return [];
  const out: FieldError[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const { path, code, message } = item as { path?: unknown; code?: unknown; message?: unknown };
    if (typeof path !== 'string') continue;
    out.push({ path, code: typeof code === 'string' ? code : '', message: typeof message === 'string' ? message : '' });
  }
  return out;
}

export interface UploadOptions {
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

// POSTs a file as the raw request body (application/octet-stream). XMLHttpRequest rather than
// fetch because only it reports upload progress. Errors are ApiError as for request().
export function upload<T>(path: string, file: Blob, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (options.onProgress) options.onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    };
    xhr.upload.onload = () => options.onProgress?.(file.size, file.size);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Нет связи с сервером. Проверьте подключение к интернету.'));
    xhr.onabort = () => reject(new DOMException('Загрузка отменена', 'AbortError'));
    xhr.onload = () => {
      const parsed = parseJson(xhr.responseText);
      if (xhr.status < 200 || xhr.status >= 300) {
        const error = errorOf(parsed);
        reject(new ApiError(xhr.status, error?.code ?? `http_${xhr.status}`, error?.message || fallbackMessage(xhr.status), error?.details));
        return;
      }
      if (parsed === undefined) {
        reject(new ApiError(xhr.status, 'bad_response', 'Сервер прислал непонятный ответ.'));
        return;
      }
      resolvePromise(parsed as T);
    };
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body ?? {}, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, body ?? {}, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};

// The Russian text to show for anything a request may throw.
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return 'Что-то пошло не так. Попробуйте ещё раз.';
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}
