import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Survey links carry a random 256-bit token. The database keeps its SHA-256 (to find the link) and the
 * token sealed with a key derived from the server secret (AES-256-GCM), so a link can be sent again in a
 * reminder; a copy of the database alone opens no link.
 */
export const newLinkToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Sealer {
  seal(token: string): string;
  open(sealed: string): string;
}

export function createSealer(secret: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'retning', 'survey-link-tokens', 32));
  return {
    seal(token) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      const raw = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** The pages a link opens: the token travels after '#', so it is never sent to the server in a URL. */
export const respondentUrl = (publicUrl: string, token: string) => `${publicUrl}/svar#${token}`;
export const directorUrl = (publicUrl: string, token: string) => `${publicUrl}/svar/kommune#${token}`;
