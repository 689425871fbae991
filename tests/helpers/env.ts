// What global-setup decided for this run, passed to the workers through the environment.
export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
export const RUN_ID = process.env.FOLIO_TEST_RUN_ID ?? 'local';
export const RUN_DIR = process.env.FOLIO_TEST_RUN_DIR ?? '/tmp/folio-test-local';
export const SQLITE_TEMPLATE = process.env.FOLIO_TEST_SQLITE_TEMPLATE ?? '';
export const MYSQL_TEMPLATE = process.env.FOLIO_TEST_MYSQL_TEMPLATE ?? '';
export const MYSQL_AVAILABLE = process.env.FOLIO_TEST_MYSQL === '1';
export const TEST_SECRET = 'folio-test-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/** A MySQL URL for one database on the test server. */
export function mysqlUrl(database?: string): string {
  const url = new URL(TEST_MYSQL_URL);
  url.pathname = database ? `/${database}` : '';
  return url.toString().replace(/\/$/, '');
}
