import {
  BadRequestException,
  BeginTransactionCommand,
  type ColumnMetadata,
  CommitTransactionCommand,
  DatabaseResumingException,
  DatabaseUnavailableException,
  ExecuteStatementCommand,
  type Field,
  RDSDataClient,
  RollbackTransactionCommand,
  type SqlParameter,
  StatementTimeoutException,
  TransactionNotFoundException,
} from '@aws-sdk/client-rds-data';
import { mockClient } from 'aws-sdk-client-mock';
import { Kysely, sql } from 'kysely';
import { ConnectionError, DatabaseError } from '../../../shared/core/errors.js';
import { DataApiDialect, fromRecords, toSqlParameter } from '../../../shared/db/dialects/data-api.js';

interface IncidentTable {
  id: string;
  title: string;
  severity: number;
  created_at: Date;
  payload: Record<string, unknown>;
}

interface DB {
  incidents: IncidentTable;
}

const RESOURCE_ARN = 'arn:aws:rds:eu-west-1:123456789012:cluster:aiops';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:aiops-db';
const DATABASE = 'aiops';
const INCIDENT_ID = '3f1c2a9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c';

const rds = mockClient(RDSDataClient);

function createDb(): Kysely<DB> {
  return new Kysely<DB>({
    dialect: new DataApiDialect({
      client: new RDSDataClient({ region: 'eu-west-1' }),
      resourceArn: RESOURCE_ARN,
      secretArn: SECRET_ARN,
      database: DATABASE,
    }),
  });
}

/** Labels each SDK call in order, so tests can assert the call sequence. */
function callSequence(): string[] {
  return rds.calls().map((call) => {
    const command = call.args[0];
    if (command instanceof BeginTransactionCommand) return 'begin';
    if (command instanceof ExecuteStatementCommand) return 'execute';
    if (command instanceof CommitTransactionCommand) return 'commit';
    if (command instanceof RollbackTransactionCommand) return 'rollback';
    return 'other';
  });
}

function executeInputs() {
  return rds.commandCalls(ExecuteStatementCommand).map((call) => call.args[0].input);
}

function column(name: string, typeName: string, label = name): ColumnMetadata {
  return { name, label, typeName };
}

beforeEach(() => {
  rds.reset();
});

describe('DataApiDialect queries', () => {
  it('sends named, typed parameters for a select on a uuid, a Date and a jsonb object', async () => {
    // Prepare
    rds.on(ExecuteStatementCommand).resolves({ columnMetadata: [], records: [] });
    const db = createDb();

    // Act
    await db
      .selectFrom('incidents')
      .select(['id', 'title'])
      .where('id', '=', INCIDENT_ID)
      .where('created_at', '>=', new Date('2024-01-02T03:04:05.678Z'))
      .where('payload', '@>', { service: 'checkout', tags: ['p1'] })
      .execute();

    // Assess
    expect(executeInputs()).toEqual([
      {
        resourceArn: RESOURCE_ARN,
        secretArn: SECRET_ARN,
        database: DATABASE,
        includeResultMetadata: true,
        sql: 'select "id", "title" from "incidents" where "id" = :p1 and "created_at" >= :p2 and "payload" @> :p3',
        parameters: [
          { name: 'p1', value: { stringValue: INCIDENT_ID }, typeHint: 'UUID' },
          { name: 'p2', value: { stringValue: '2024-01-02 03:04:05.678' }, typeHint: 'TIMESTAMP' },
          { name: 'p3', value: { stringValue: '{"service":"checkout","tags":["p1"]}' }, typeHint: 'JSON' },
        ],
      },
    ]);
    expect(executeInputs()[0]).not.toHaveProperty('transactionId');
  });

  it('decodes a realistic response by column type, keyed by label', async () => {
    // Prepare
    const columnMetadata = [
      column('id', 'uuid', 'incident_id'),
      column('payload', 'jsonb'),
      column('created_at', 'timestamptz'),
      column('resolved_at', 'timestamptz'),
      column('closed_at', 'timestamptz'),
      column('cost', 'numeric'),
      column('event_count', 'int8'),
      column('score', 'float8'),
      column('is_open', 'bool'),
      column('tags', '_text'),
      column('opened_on', 'date'),
    ];
    const records: Field[][] = [
      [
        { stringValue: INCIDENT_ID },
        { stringValue: '{"service":"checkout","hosts":["a","b"],"error_rate":0.25}' },
        { stringValue: '2024-01-02 03:04:05.678' },
        { stringValue: '2024-01-02 04:05:06.789012' },
        { isNull: true },
        { stringValue: '12345.678900' },
        { longValue: 9007199254740991 },
        { doubleValue: 0.875 },
        { booleanValue: false },
        { arrayValue: { stringValues: ['latency', 'p1'] } },
        { stringValue: '2024-01-02' },
      ],
    ];
    rds.on(ExecuteStatementCommand).resolves({ columnMetadata, records });
    const db = createDb();

    // Act
    const rows = await sql<Record<string, unknown>>`select * from incident_view`.execute(db);

    // Assess
    expect(rows.rows).toEqual([
      {
        incident_id: INCIDENT_ID,
        payload: { service: 'checkout', hosts: ['a', 'b'], error_rate: 0.25 },
        created_at: new Date('2024-01-02T03:04:05.678Z'),
        resolved_at: new Date('2024-01-02T04:05:06.789Z'),
        closed_at: null,
        cost: '12345.678900',
        event_count: 9007199254740991,
        score: 0.875,
        is_open: false,
        tags: ['latency', 'p1'],
        opened_on: '2024-01-02',
      },
    ]);
    expect(rows.numAffectedRows).toBeUndefined();
  });

  it('reports the inserted row count and rows for insert … returning', async () => {
    // Prepare
    // The Data API reports 0 updated records when RETURNING rows come back.
    rds.on(ExecuteStatementCommand).resolves({
      numberOfRecordsUpdated: 0,
      columnMetadata: [column('id', 'uuid'), column('created_at', 'timestamptz')],
      records: [[{ stringValue: INCIDENT_ID }, { stringValue: '2024-05-06 07:08:09.123' }]],
    });
    const db = createDb();
    const query = db
      .insertInto('incidents')
      .values({
        id: INCIDENT_ID,
        title: 'Checkout latency',
        severity: 2,
        created_at: new Date('2024-05-06T07:08:09.123Z'),
        payload: { service: 'checkout' },
      })
      .returning(['id', 'created_at'])
      .compile();

    // Act
    const result = await db.executeQuery(query);

    // Assess
    expect(result).toEqual({
      rows: [{ id: INCIDENT_ID, created_at: new Date('2024-05-06T07:08:09.123Z') }],
      numAffectedRows: 1n,
    });
    expect(executeInputs()[0]).toMatchObject({
      sql: 'insert into "incidents" ("id", "title", "severity", "created_at", "payload") values (:p1, :p2, :p3, :p4, :p5) returning "id", "created_at"',
      parameters: [
        { name: 'p1', value: { stringValue: INCIDENT_ID }, typeHint: 'UUID' },
        { name: 'p2', value: { stringValue: 'Checkout latency' } },
        { name: 'p3', value: { longValue: 2 } },
        { name: 'p4', value: { stringValue: '2024-05-06 07:08:09.123' }, typeHint: 'TIMESTAMP' },
        { name: 'p5', value: { stringValue: '{"service":"checkout"}' }, typeHint: 'JSON' },
      ],
    });
  });

  it('reports numberOfRecordsUpdated as the affected rows of an update without returning', async () => {
    // Prepare
    rds.on(ExecuteStatementCommand).resolves({ numberOfRecordsUpdated: 3 });
    const db = createDb();

    // Act
    const result = await db
      .updateTable('incidents')
      .set({ title: 'Resolved' })
      .where('severity', '>', 2)
      .executeTakeFirstOrThrow();

    // Assess
    expect(result.numUpdatedRows).toBe(3n);
    expect(executeInputs()[0]).toMatchObject({
      sql: 'update "incidents" set "title" = :p1 where "severity" > :p2',
      parameters: [
        { name: 'p1', value: { stringValue: 'Resolved' } },
        { name: 'p2', value: { longValue: 2 } },
      ],
    });
  });

  it('reports affected rows for a raw delete statement', async () => {
    // Prepare
    rds.on(ExecuteStatementCommand).resolves({ numberOfRecordsUpdated: 4 });
    const db = createDb();

    // Act
    const result = await sql`delete from incidents where severity < ${1}`.execute(db);

    // Assess
    expect(result).toEqual({ rows: [], numAffectedRows: 4n });
  });

  it('refuses streaming with a DatabaseError', async () => {
    // Prepare
    const db = createDb();

    // Act
    const consume = async () => {
      for await (const _row of db.selectFrom('incidents').selectAll().stream()) {
        // Draining is enough: the first pull must fail.
      }
    };

    // Assess
    await expect(consume()).rejects.toThrow(new DatabaseError('streaming is not supported by the Data API'));
    expect(rds.calls()).toHaveLength(0);
  });
});

describe('DataApiDialect transactions', () => {
  it('runs statements under the transactionId and commits', async () => {
    // Prepare
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-1' });
    rds.on(ExecuteStatementCommand).resolves({ numberOfRecordsUpdated: 1 });
    rds.on(CommitTransactionCommand).resolves({ transactionStatus: 'Transaction Committed' });
    const db = createDb();

    // Act
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('incidents').set({ severity: 1 }).where('id', '=', INCIDENT_ID).execute();
      await trx.deleteFrom('incidents').where('severity', '>', 4).execute();
    });

    // Assess
    expect(callSequence()).toEqual(['begin', 'execute', 'execute', 'commit']);
    expect(rds.commandCalls(BeginTransactionCommand)[0]?.args[0].input).toEqual({
      resourceArn: RESOURCE_ARN,
      secretArn: SECRET_ARN,
      database: DATABASE,
    });
    expect(executeInputs().map((input) => input.transactionId)).toEqual(['tx-1', 'tx-1']);
    expect(rds.commandCalls(CommitTransactionCommand)[0]?.args[0].input).toEqual({
      resourceArn: RESOURCE_ARN,
      secretArn: SECRET_ARN,
      transactionId: 'tx-1',
    });
  });

  it('sends no transactionId after the transaction on a reused connection commits', async () => {
    // Prepare
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-7' });
    rds.on(ExecuteStatementCommand).resolves({});
    rds.on(CommitTransactionCommand).resolves({});
    const db = createDb();

    // Act
    await db.connection().execute(async (connection) => {
      await connection.transaction().execute(async (trx) => {
        await trx.selectFrom('incidents').select('id').execute();
      });
      await connection.selectFrom('incidents').select('title').execute();
    });

    // Assess
    expect(callSequence()).toEqual(['begin', 'execute', 'commit', 'execute']);
    expect(executeInputs().map((input) => input.transactionId)).toEqual(['tx-7', undefined]);
  });

  it('rolls back and rethrows when a statement fails', async () => {
    // Prepare
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-2' });
    rds
      .on(ExecuteStatementCommand)
      .resolvesOnce({ numberOfRecordsUpdated: 1 })
      .rejectsOnce(
        new BadRequestException({
          $metadata: {},
          message: 'ERROR: null value in column "title" violates not-null constraint; SQLState: 23502',
        }),
      );
    rds.on(RollbackTransactionCommand).resolves({ transactionStatus: 'Rollback Complete' });
    const db = createDb();

    // Act
    const run = db.transaction().execute(async (trx) => {
      await trx.updateTable('incidents').set({ severity: 1 }).execute();
      await trx.updateTable('incidents').set({ severity: 2 }).execute();
    });

    // Assess
    await expect(run).rejects.toMatchObject({
      name: 'DatabaseError',
      details: { sqlState: '23502', errorName: 'BadRequestException' },
    });
    expect(callSequence()).toEqual(['begin', 'execute', 'execute', 'rollback']);
    expect(rds.commandCalls(RollbackTransactionCommand)[0]?.args[0].input).toEqual({
      resourceArn: RESOURCE_ARN,
      secretArn: SECRET_ARN,
      transactionId: 'tx-2',
    });
  });

  it('keeps the original error when the Data API already ended the transaction', async () => {
    // Prepare
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-3' });
    rds
      .on(ExecuteStatementCommand)
      .rejects(new StatementTimeoutException({ $metadata: {}, message: 'Request timed out' }));
    rds
      .on(RollbackTransactionCommand)
      .rejects(new TransactionNotFoundException({ $metadata: {}, message: 'Transaction tx-3 is not found' }));
    const db = createDb();

    // Act
    const run = db.transaction().execute(async (trx) => {
      await trx.selectFrom('incidents').selectAll().execute();
    });

    // Assess
    await expect(run).rejects.toBeInstanceOf(ConnectionError);
    expect(callSequence()).toEqual(['begin', 'execute', 'rollback']);
  });

  it('applies the isolation level as the first statement of the transaction', async () => {
    // Prepare
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-4' });
    rds.on(ExecuteStatementCommand).resolves({});
    rds.on(CommitTransactionCommand).resolves({});
    const db = createDb();

    // Act
    await db
      .transaction()
      .setIsolationLevel('serializable')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await trx.selectFrom('incidents').select('id').execute();
      });

    // Assess
    expect(executeInputs().map(({ sql, transactionId }) => ({ sql, transactionId }))).toEqual([
      { sql: 'set transaction isolation level serializable read only', transactionId: 'tx-4' },
      { sql: 'select "id" from "incidents"', transactionId: 'tx-4' },
    ]);
  });

  it('refuses savepoints with a DatabaseError', async () => {
    // Prepare
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-5' });
    rds.on(RollbackTransactionCommand).resolves({});
    const db = createDb();
    const trx = await db.startTransaction().execute();

    // Act
    const savepoint = trx.savepoint('before_update').execute();

    // Assess
    await expect(savepoint).rejects.toThrow(
      new DatabaseError('savepoints are not supported by the Data API'),
    );
    await trx.rollback().execute();
    expect(callSequence()).toEqual(['begin', 'rollback']);
  });
});

describe('DataApiDialect migration lock', () => {
  const lockOptions = {
    lockTable: 'kysely_migration_lock',
    lockRowId: 'migration_lock',
    lockTableSchema: undefined,
  };

  it('takes a transaction-scoped advisory lock inside a transaction', async () => {
    // Prepare
    rds.on(BeginTransactionCommand).resolves({ transactionId: 'tx-6' });
    rds.on(ExecuteStatementCommand).resolves({});
    rds.on(CommitTransactionCommand).resolves({});
    const db = createDb();
    const adapter = new DataApiDialect({
      client: new RDSDataClient({ region: 'eu-west-1' }),
      resourceArn: RESOURCE_ARN,
      secretArn: SECRET_ARN,
      database: DATABASE,
    }).createAdapter();

    // Act
    await db.transaction().execute(async (trx) => {
      await adapter.acquireMigrationLock(trx, lockOptions);
      await adapter.releaseMigrationLock(trx, lockOptions);
    });

    // Assess
    expect(executeInputs().map(({ sql, transactionId }) => ({ sql, transactionId }))).toEqual([
      { sql: 'select pg_advisory_xact_lock(3853314791062309107)', transactionId: 'tx-6' },
    ]);
  });

  it('sends no session-level lock outside a transaction', async () => {
    // Prepare
    const db = createDb();
    const adapter = new DataApiDialect({
      client: new RDSDataClient({ region: 'eu-west-1' }),
      resourceArn: RESOURCE_ARN,
      secretArn: SECRET_ARN,
      database: DATABASE,
    }).createAdapter();

    // Act
    await adapter.acquireMigrationLock(db, lockOptions);
    await adapter.releaseMigrationLock(db, lockOptions);

    // Assess
    expect(rds.calls()).toHaveLength(0);
  });
});

describe('DataApiDialect error mapping', () => {
  it('maps a BadRequestException to a non-retryable DatabaseError without parameter values', async () => {
    // Prepare
    const sdkError = new BadRequestException({
      $metadata: {},
      message:
        'ERROR: duplicate key value violates unique constraint "incidents_pkey"\n  Detail: Key (id)=(3f1c2a9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c) already exists.; SQLState: 23505',
    });
    rds.on(ExecuteStatementCommand).rejects(sdkError);
    const db = createDb();

    // Act
    const error: unknown = await db
      .insertInto('incidents')
      .values({ id: INCIDENT_ID, title: 't', severity: 1, created_at: new Date(0), payload: {} })
      .execute()
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({
      message: 'ERROR: duplicate key value violates unique constraint "incidents_pkey"; SQLState: 23505',
      retryable: false,
      cause: sdkError,
      details: { sqlState: '23505', errorName: 'BadRequestException' },
    });
  });

  it('redacts values PostgreSQL echoes from invalid input', async () => {
    // Prepare
    rds.on(ExecuteStatementCommand).rejects(
      new BadRequestException({
        $metadata: {},
        message:
          'ERROR: invalid input syntax for type integer: "secret-token"\n  Position: 40; SQLState: 22P02',
      }),
    );
    const db = createDb();

    // Act
    const run = sql`select ${'secret-token'}::int`.execute(db);

    // Assess
    await expect(run).rejects.toMatchObject({
      message: 'ERROR: invalid input syntax for type integer: "[redacted]"\n  Position: 40; SQLState: 22P02',
      details: { sqlState: '22P02' },
    });
  });

  it('maps a DatabaseResumingException to a retryable ConnectionError', async () => {
    // Prepare
    const sdkError = new DatabaseResumingException({
      $metadata: {},
      message:
        'The Aurora DB instance db-1 is resuming after being auto-paused. Please wait a few seconds and try again.',
    });
    rds.on(ExecuteStatementCommand).rejects(sdkError);
    const db = createDb();

    // Act
    const error: unknown = await db
      .selectFrom('incidents')
      .selectAll()
      .execute()
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ retryable: true, cause: sdkError, code: 'DB_CONNECTION_ERROR' });
  });

  it.each([
    ['StatementTimeoutException', new StatementTimeoutException({ $metadata: {}, message: 'timed out' })],
    [
      'DatabaseUnavailableException',
      new DatabaseUnavailableException({ $metadata: {}, message: 'unavailable' }),
    ],
    ['ThrottlingException', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })],
    [
      'BadRequestException about resuming',
      new BadRequestException({ $metadata: {}, message: 'Database is resuming after being auto-paused' }),
    ],
  ])('maps %s to a retryable ConnectionError', async (_label, sdkError) => {
    // Prepare
    rds.on(BeginTransactionCommand).rejects(sdkError);
    const db = createDb();

    // Act
    const run = db.transaction().execute(async () => undefined);

    // Assess
    await expect(run).rejects.toMatchObject({ name: 'ConnectionError', retryable: true, cause: sdkError });
  });
});

describe('toSqlParameter', () => {
  const bytes = new Uint8Array([1, 2, 3]);
  const buffer = Buffer.from('blob');

  it.each<[string, unknown, SqlParameter]>([
    ['null', null, { name: 'p1', value: { isNull: true } }],
    ['undefined', undefined, { name: 'p1', value: { isNull: true } }],
    ['true', true, { name: 'p1', value: { booleanValue: true } }],
    ['false', false, { name: 'p1', value: { booleanValue: false } }],
    ['a safe integer', -42, { name: 'p1', value: { longValue: -42 } }],
    [
      'the largest safe integer',
      Number.MAX_SAFE_INTEGER,
      { name: 'p1', value: { longValue: Number.MAX_SAFE_INTEGER } },
    ],
    ['a fractional number', 0.25, { name: 'p1', value: { doubleValue: 0.25 } }],
    ['an integer beyond the safe range', 2 ** 60, { name: 'p1', value: { doubleValue: 2 ** 60 } }],
    ['a bigint in the safe range', 9007199254740991n, { name: 'p1', value: { longValue: 9007199254740991 } }],
    [
      'an upper-case uuid',
      '3F1C2A9E-7B4D-4E8A-9C1F-2D3E4F5A6B7C',
      { name: 'p1', value: { stringValue: '3F1C2A9E-7B4D-4E8A-9C1F-2D3E4F5A6B7C' }, typeHint: 'UUID' },
    ],
    ['a plain string', 'checkout latency', { name: 'p1', value: { stringValue: 'checkout latency' } }],
    [
      'a uuid-like string without dashes',
      '3f1c2a9e7b4d4e8a9c1f2d3e4f5a6b7c',
      { name: 'p1', value: { stringValue: '3f1c2a9e7b4d4e8a9c1f2d3e4f5a6b7c' } },
    ],
    [
      'a Date',
      new Date('1999-12-31T23:59:59.007Z'),
      { name: 'p1', value: { stringValue: '1999-12-31 23:59:59.007' }, typeHint: 'TIMESTAMP' },
    ],
    ['a Uint8Array', bytes, { name: 'p1', value: { blobValue: bytes } }],
    ['a Buffer', buffer, { name: 'p1', value: { blobValue: buffer } }],
    [
      'a plain object',
      { a: 1, nested: { b: [true, null] } },
      { name: 'p1', value: { stringValue: '{"a":1,"nested":{"b":[true,null]}}' }, typeHint: 'JSON' },
    ],
    ['an array', ['x', 2], { name: 'p1', value: { stringValue: '["x",2]' }, typeHint: 'JSON' }],
    [
      'a null-prototype object',
      Object.assign(Object.create(null), { k: 'v' }),
      { name: 'p1', value: { stringValue: '{"k":"v"}' }, typeHint: 'JSON' },
    ],
  ])('encodes %s', (_label, value, expected) => {
    // Prepare
    const name = 'p1';

    // Act
    const parameter = toSqlParameter(name, value);

    // Assess
    expect(parameter).toEqual(expected);
  });

  it.each<[string, unknown, string]>([
    [
      'a bigint above the safe range',
      9007199254740992n,
      'parameter p7 is a bigint outside the safe integer range',
    ],
    [
      'a bigint below the safe range',
      -9007199254740992n,
      'parameter p7 is a bigint outside the safe integer range',
    ],
    ['an invalid Date', new Date('not a date'), 'parameter p7 is an invalid Date'],
    ['NaN', Number.NaN, 'parameter p7 is not a finite number'],
    ['Infinity', Number.POSITIVE_INFINITY, 'parameter p7 is not a finite number'],
    ['a symbol', Symbol('s'), 'parameter p7 has unsupported type symbol'],
    ['a Map', new Map([['k', 'secret']]), 'parameter p7 has unsupported type Map'],
    ['an object holding a bigint', { n: 1n }, 'parameter p7 cannot be serialised as JSON'],
  ])('rejects %s with a DatabaseError that omits the value', (_label, value, message) => {
    // Prepare
    const name = 'p7';

    // Act
    const encode = () => toSqlParameter(name, value);

    // Assess
    expect(encode).toThrow(DatabaseError);
    expect(encode).toThrow(message);
  });
});

describe('fromRecords', () => {
  it('decodes nested arrays, element types, blobs and falls back to column names', () => {
    // Prepare
    const blob = new Uint8Array([0xde, 0xad]);
    const columnMetadata: ColumnMetadata[] = [
      { name: 'matrix', typeName: '_int4' },
      { name: 'seen_at', typeName: '_timestamptz' },
      { name: 'docs', typeName: '_jsonb' },
      { name: 'flags', typeName: '_bool' },
      { name: 'ratios', typeName: '_float8' },
      { name: 'raw', typeName: 'bytea' },
      { name: 'n', typeName: 'INT4' },
      { name: 'forever', typeName: 'timestamp' },
      { name: 'ts', typeName: 'TIMESTAMP' },
    ];
    const records: Field[][] = [
      [
        { arrayValue: { arrayValues: [{ longValues: [1, 2] }, { longValues: [3, null] }] } },
        { arrayValue: { stringValues: ['2024-01-02 03:04:05', null] } },
        { arrayValue: { stringValues: ['{"a":1}'] } },
        { arrayValue: { booleanValues: [true, false] } },
        { arrayValue: { doubleValues: [0.5] } },
        { blobValue: blob },
        { longValue: 7 },
        { stringValue: 'infinity' },
        { stringValue: '2024-01-02 03:04:05.1' },
      ],
    ];

    // Act
    const rows = fromRecords(columnMetadata, records);

    // Assess
    expect(rows).toEqual([
      {
        matrix: [
          [1, 2],
          [3, null],
        ],
        seen_at: [new Date('2024-01-02T03:04:05.000Z'), null],
        docs: [{ a: 1 }],
        flags: [true, false],
        ratios: [0.5],
        raw: blob,
        n: 7,
        forever: 'infinity',
        ts: new Date('2024-01-02T03:04:05.100Z'),
      },
    ]);
  });

  it('returns null for fields missing from a short record', () => {
    // Prepare
    const columnMetadata: ColumnMetadata[] = [{ name: 'a', typeName: 'text' }, { typeName: 'text' }];

    // Act
    const rows = fromRecords(columnMetadata, [[{ stringValue: 'x' }]]);

    // Assess
    expect(rows).toEqual([{ a: 'x', column2: null }]);
  });
});
