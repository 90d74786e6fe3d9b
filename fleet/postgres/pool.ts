/**
 * The fleet's connection pool (node-postgres). Dates (`date`) stay `YYYY-MM-DD` text, never a
 * local-time Date; every statement and every wait for a connection is bounded, so a stuck
 * database turns into an error answer, not a hung request.
 */
import pg from 'pg';

// 1082 = date: the WIB day as written, not midnight in the server's time zone.
pg.types.setTypeParser(1082, (v: string) => v);

export interface DatabaseConnection {
  /** A socket folder (starts with /) or a host name. */
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
}

export function createPool(connection: DatabaseConnection, opts: { max?: number; statementTimeoutMs?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    ...connection,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: opts.statementTimeoutMs ?? 10_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'anjungan-fleet',
  });
  // A connection that dies while idle in the pool (database restarted) is dropped; the next
  // query opens a new one. Without a listener the error would end the process.
  pool.on('error', () => undefined);
  // Likewise a checked-out client whose connection dies between two statements of a transaction:
  // its next query fails (and the client is destroyed on release); the process goes on.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Runs `work` in one transaction on a client of its own: committed when it returns, rolled back
 * when it throws. A client that failed mid-transaction (its connection may be gone) is destroyed,
 * not pooled.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    broken = e as Error;
    throw e;
  } finally {
    client.release(broken);
  }
}
