/** Which database the suite runs on: PGlite (default) or the PostgreSQL server (RETNING_TEST_DB=postgres). */
export const TEST_DB = process.env.RETNING_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const PG_ADMIN_URL = process.env.RETNING_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function pgUrlFor(database: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The login role request traffic uses in tests on the server: a member of retning_app only. */
export const REQUEST_ROLE = 'retning_request';
