/** Errors from the API as problem details; the UI translates `code`, never shows English titles. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body: Record<string, unknown>,
  ) {
    super(code);
  }
  get fieldErrors(): { field: string; message: string; code?: string }[] {
    return (this.body.errors as { field: string; message: string; code?: string }[]) ?? [];
  }
}

let csrfToken = '';
/** The CSRF token lives in memory only (never in browser storage). */
export const setCsrfToken = (t: string) => {
  csrfToken = t;
};

let onUnauthenticated: (() => void) | null = null;
export const setOnUnauthenticated = (fn: () => void) => {
  onUnauthenticated = fn;
};

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken || '1';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', {});
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    // Asking whether there is a session (staff or portal) is not losing one.
    if (res.status === 401 && !['/api/auth/login', '/api/auth/session', '/api/portal/session'].includes(url))
      onUnauthenticated?.();
    throw new ApiError(res.status, String(data.code ?? 'unknown'), data);
  }
  return data as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const put = <T>(url: string, body: unknown) => api<T>('PUT', url, body);
export const del = <T>(url: string) => api<T>('DELETE', url);

/** A session probe: the answer, or null when there is no session (401); any other error is thrown. */
/**
 * The session, or null when there is none. The server sets a readable marker cookie beside the session's
 * HttpOnly cookie; without it there is no session to ask for, so a first visit makes no request that would
 * answer 401 (and show an error in the browser's console).
 */
export async function sessionOrNull<T extends { csrfToken: string }>(
  url: string,
  marker: string,
): Promise<T | null> {
  if (!document.cookie.split('; ').some((c) => c.startsWith(`${marker}=`))) return null;
  try {
    const s = await get<T>(url);
    setCsrfToken(s.csrfToken);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}
