/**
 * Readable marker cookies set beside the HttpOnly session cookies (they hold "1", no secret): the web app asks
 * for a session only when its marker is there, so a first visit makes no request that answers 401.
 */
export const STAFF_MARKER = 'retning_logget_ind';
export const PORTAL_MARKER = 'retning_portal_logget_ind';
