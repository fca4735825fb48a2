"""
An orders pipeline as a data engineer would write it with Spark Structured Streaming and Delta
Lake (the medallion layout), brought to streamproof through the SUT contract (sut.ts):

  Kafka input ─┬─ ingest ─▶ bronze Delta table (raw copy)  + DLQ topic (invalid, sp-dlq-reason)
               └─ silver ─▶ validate, watermark 10 min, dropDuplicatesWithinWatermark(event_id),
                            mask PII ─▶ silver Delta table (idempotent: txnAppId/txnVersion)
                                      ─▶ silver topic (input headers kept; at-least-once)
  silver Delta ── gold ──▶ 60 s event-time windows per region, watermark 30 s, update mode,
                            MERGE into the gold Delta table (idempotent)

Everything it needs comes from the STREAMPROOF_* environment (docs/sut-contract.md) and
SPARK_EXAMPLE_JARS (the jars pyspark lacks, prepared by harness/tools/spark-delta.ts).
SIGTERM drains: every query processes what is available, then the job stops (exit 0).
"""
import hashlib
import hmac
import json
import os
import signal
import sys
import time

ENV = os.environ


def need(name):
    value = ENV.get(name, '').strip()
    if not value:
        print(f'spark-delta-example: {name} is not set (see docs/sut-contract.md)', file=sys.stderr, flush=True)
        sys.exit(64)
    return value


BOOTSTRAP = need('STREAMPROOF_BOOTSTRAP_SERVERS')
INPUT_TOPICS = need('STREAMPROOF_INPUT_TOPICS')
SILVER_TOPIC = need('STREAMPROOF_RECORDS_TOPICS').split(',')[0]
DLQ_TOPIC = need('STREAMPROOF_DLQ_TOPIC')
SINK_DIR = need('STREAMPROOF_SINK_DIR')
CLIENT_ID = ENV.get('STREAMPROOF_CLIENT_ID', 'spark-delta-example')
JARS = need('SPARK_EXAMPLE_JARS')
SECRET = ENV.get('SPARK_EXAMPLE_PII_SECRET', 'streamproof-example').encode()
MAX_RECORD_BYTES = int(ENV.get('SPARK_EXAMPLE_MAX_RECORD_BYTES', '1000000'))
TRIGGER = ENV.get('SPARK_EXAMPLE_TRIGGER', '2 seconds')
# A planted mistake for the suite to catch (README.md): '' is the clean job.
PLANT = ENV.get('SPARK_EXAMPLE_PLANT', '')
PLANTS = ('', 'processing-time-windows', 'no-dedupe')
if PLANT not in PLANTS:
    print(f"spark-delta-example: SPARK_EXAMPLE_PLANT '{PLANT}' is not one of {PLANTS[1:]}", file=sys.stderr, flush=True)
    sys.exit(64)

DEDUPE_DELAY = '10 minutes'  # a re-sent event id is dropped within 10 min of event time
GOLD_DELAY = '30 seconds'  # windows accept events up to 30 s behind the newest event time
WINDOW = '60 seconds'
BRONZE, SILVER, GOLD = (os.path.join(SINK_DIR, t) for t in ('bronze', 'silver', 'gold'))
CHECKPOINTS = os.path.join(SINK_DIR, '_checkpoints')

# Ignored now, so the JVM pyspark starts inherits it and installs no SIGTERM handler of its own
# (HotSpot leaves an ignored shutdown signal alone): SIGTERM is then ours to drain with.
signal.signal(signal.SIGTERM, signal.SIG_IGN)

from pyspark.sql import SparkSession, functions as F, types as T  # noqa: E402
from delta.tables import DeltaTable  # noqa: E402

# ---------------------------------------------------------------- validation and masking
SCHEMA_VERSIONS = {1, 2}
REQUIRED = ['event_id', 'event_type', 'event_time_ms', 'key', 'order_id', 'amount', 'currency', 'region', 'customer']
STRINGS = ['event_id', 'event_type', 'key', 'order_id', 'currency', 'region']
DROPPED = ['card_last4', 'card_number', 'name', 'first_name', 'last_name', 'phone', 'address']


def token(email):
    digest = hmac.new(SECRET, email.strip().lower().encode(), hashlib.sha256).hexdigest()
    return 'tok_' + digest[:16]


def kind(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'boolean'
    if isinstance(v, int):
        return 'integer'
    if isinstance(v, float):
        return 'number'
    return {str: 'string', list: 'array', dict: 'object'}.get(type(v), type(v).__name__)


def validate(value):
    """(event, None, None) or (None, reason, detail): one reason per poison kind, in a fixed order."""
    if value is None:
        return None, 'null-value', 'the record has no value'
    if len(value) > MAX_RECORD_BYTES:
        return None, 'oversized', f'{len(value)} bytes > max {MAX_RECORD_BYTES}'
    try:
        o = json.loads(bytes(value))
    except (ValueError, UnicodeDecodeError) as e:
        # The parser's message may quote the input (PII): keep only the position.
        return None, 'malformed-json', f'not valid JSON at byte {getattr(e, "pos", "?")}'
    if not isinstance(o, dict):
        return None, 'not-an-object', f'top-level JSON is {kind(o)}'
    if 'schema_version' not in o:
        return None, 'missing-field', 'schema_version'
    if kind(o['schema_version']) != 'integer':
        return None, 'wrong-type', f'schema_version is {kind(o["schema_version"])}'
    if o['schema_version'] not in SCHEMA_VERSIONS:
        return None, 'unknown-schema-version', f'schema_version {o["schema_version"]}'
    renamed = 'amount' not in o and 'total_amount' in o
    for field in REQUIRED:
        if not (renamed if field == 'amount' and 'amount' not in o else field in o):
            return None, 'missing-field', field
    for field in STRINGS:
        if kind(o[field]) != 'string':
            return None, 'wrong-type', f'{field} is {kind(o[field])}, want string'
    if kind(o['event_time_ms']) != 'integer':
        return None, 'wrong-type', f'event_time_ms is {kind(o["event_time_ms"])}, want integer'
    amount_field = 'total_amount' if renamed else 'amount'
    if kind(o[amount_field]) not in ('integer', 'number'):
        return None, 'wrong-type', f'{amount_field} is {kind(o[amount_field])}, want number'
    if kind(o['customer']) != 'object':
        return None, 'wrong-type', f'customer is {kind(o["customer"])}, want object'
    if o['event_time_ms'] < 0:
        return None, 'invalid-value', 'event_time_ms is negative'
    if o[amount_field] < 0:
        return None, 'invalid-value', 'amount is negative'
    if o['event_id'] == '':
        return None, 'invalid-value', 'event_id is empty'
    if o['region'] == '':
        return None, 'invalid-value', 'region is empty'
    if renamed:
        return None, 'breaking-rename', f"'amount' renamed to 'total_amount' (schema_version {o['schema_version']})"
    return o, None, None


def mask(o):
    """customer.email becomes customer.email_token (a keyed hash); card and contact fields are dropped."""
    for field in DROPPED:
        o.pop(field, None)
    customer = o['customer']
    email = customer.pop('email', None)
    for field in DROPPED:
        customer.pop(field, None)
    if isinstance(email, str):
        customer['email_token'] = token(email)
    return o


PARSED = T.StructType([
    T.StructField('reason', T.StringType()),
    T.StructField('detail', T.StringType()),
    T.StructField('event_id', T.StringType()),
    T.StructField('event_type', T.StringType()),
    T.StructField('event_time_ms', T.LongType()),
    T.StructField('order_id', T.StringType()),
    T.StructField('region', T.StringType()),
    T.StructField('currency', T.StringType()),
    T.StructField('amount', T.DoubleType()),
    T.StructField('schema_version', T.IntegerType()),
    T.StructField('customer_email_token', T.StringType()),
    T.StructField('masked', T.StringType()),
])


def parse(value):
    event, reason, detail = validate(value)
    if event is None:
        return (reason, detail) + (None,) * 10
    masked = mask(event)
    return (None, None, masked['event_id'], masked['event_type'], masked['event_time_ms'], masked['order_id'], masked['region'],
            masked['currency'], float(masked['amount']), masked['schema_version'], masked['customer'].get('email_token'),
            json.dumps(masked, separators=(',', ':')))


# ---------------------------------------------------------------- the session and the tables
os.environ['PYSPARK_PYTHON'] = sys.executable
# Spark binds to the address the host name resolves to; keep every socket on loopback.
os.environ.setdefault('SPARK_LOCAL_IP', '127.0.0.1')
here = os.path.dirname(os.path.abspath(__file__))
spark = (
    SparkSession.builder.appName(f'spark-delta-example {CLIENT_ID}')
    # Up to 4 attempts per task: a task that dies with its Python worker is retried, not fatal.
    .master('local[2,4]')
    .config('spark.jars', JARS)
    .config('spark.driver.memory', ENV.get('SPARK_EXAMPLE_DRIVER_MEMORY', '1g'))
    .config('spark.driver.extraJavaOptions', f'-Dlog4j2.configurationFile={os.path.join(here, "log4j2.properties")} -XX:+UseSerialGC')
    .config('spark.driver.host', '127.0.0.1')
    .config('spark.driver.bindAddress', '127.0.0.1')
    .config('spark.ui.enabled', 'false')
    .config('spark.ui.showConsoleProgress', 'false')
    # Delta replays its log in 50 tasks by default: on 2 cores that dominated every batch.
    .config('spark.databricks.delta.snapshotPartitions', '2')
    .config('spark.sql.shuffle.partitions', '2')
    .config('spark.sql.extensions', 'io.delta.sql.DeltaSparkSessionExtension')
    .config('spark.sql.catalog.spark_catalog', 'org.apache.spark.sql.delta.catalog.DeltaCatalog')
    .config('spark.databricks.delta.checkpointInterval', ENV.get('SPARK_EXAMPLE_DELTA_CHECKPOINT_INTERVAL', '10'))
    .getOrCreate()
)
stopping = False


def on_sigterm(_signum, _frame):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, on_sigterm)
parse_udf = F.udf(parse, PARSED)

HEADERS = 'array<struct<key:string,value:binary>>'
(DeltaTable.createIfNotExists(spark).location(SILVER)
 .addColumns(T.StructType([f for f in PARSED.fields if f.name not in ('reason', 'detail', 'masked')] + [
     T.StructField('payload', T.StringType()), T.StructField('kafka_partition', T.IntegerType()), T.StructField('kafka_offset', T.LongType())]))
 .execute())
(DeltaTable.createIfNotExists(spark).location(GOLD)
 .addColumn('region', 'STRING').addColumn('window_start_ms', 'BIGINT').addColumn('event_count', 'BIGINT')
 .addColumn('order_count', 'BIGINT').addColumn('revenue_cents', 'BIGINT')
 .execute())


def kafka_source():
    return (spark.readStream.format('kafka')
            .option('kafka.bootstrap.servers', BOOTSTRAP)
            .option('kafka.client.id', CLIENT_ID)
            .option('subscribe', INPUT_TOPICS)
            .option('startingOffsets', 'earliest')
            .option('includeHeaders', 'true')
            .option('maxOffsetsPerTrigger', '20000')
            .load())


def to_kafka(df, topic):
    df.write.format('kafka').option('kafka.bootstrap.servers', BOOTSTRAP).option('kafka.client.id', f'{CLIENT_ID}-producer').option('topic', topic).save()


# ---------------------------------------------------------------- ingest: bronze + DLQ
def ingest_batch(batch, batch_id):
    batch.persist()
    try:
        (batch.select('topic', 'partition', 'offset', F.col('timestamp').alias('kafka_timestamp'), F.col('key').cast('string').alias('key'),
                      F.col('value').cast('string').alias('value'), F.get_json_object(F.col('value').cast('string'), '$.event_id').alias('event_id'))
         .write.format('delta').mode('append').option('txnAppId', 'bronze').option('txnVersion', batch_id).save(BRONZE))
        invalid = batch.select('key', 'value', 'headers', parse_udf('value').alias('p')).where('p.reason IS NOT NULL')
        dlq_headers = F.concat(F.coalesce(F.col('headers'), F.array().cast(HEADERS)), F.array(
            F.struct(F.lit('sp-dlq-reason').alias('key'), F.col('p.reason').cast('binary').alias('value')),
            F.struct(F.lit('sp-dlq-detail').alias('key'), F.col('p.detail').cast('binary').alias('value'))))
        to_kafka(invalid.select('key', 'value', dlq_headers.alias('headers')), DLQ_TOPIC)
    finally:
        batch.unpersist()


# ---------------------------------------------------------------- silver: Delta + Kafka
SILVER_COLUMNS = ['event_id', 'event_type', 'event_time_ms', 'order_id', 'region', 'currency', 'amount', 'schema_version',
                  'customer_email_token', F.col('masked').alias('payload'), F.col('partition').alias('kafka_partition'),
                  F.col('offset').alias('kafka_offset')]


def silver_batch(batch, batch_id):
    batch.persist()
    try:
        # Kafka has no idempotency marker: a batch replayed after a crash is sent again (at-least-once).
        to_kafka(batch.select('key', F.col('masked').alias('value'), 'headers'), SILVER_TOPIC)
        # Delta has one: a replayed batch whose commit landed is skipped by its txnVersion.
        batch.select(*SILVER_COLUMNS).write.format('delta').mode('append').option('txnAppId', 'silver').option('txnVersion', batch_id).save(SILVER)
    finally:
        batch.unpersist()


valid = (kafka_source().select('key', 'headers', 'partition', 'offset', parse_udf('value').alias('p'))
         .where('p.reason IS NULL').select('key', 'headers', 'partition', 'offset', 'p.*')
         .withColumn('event_time', F.timestamp_millis('event_time_ms')))
deduped = valid if PLANT == 'no-dedupe' else valid.withWatermark('event_time', DEDUPE_DELAY).dropDuplicatesWithinWatermark(['event_id'])


# ---------------------------------------------------------------- gold: windows per region
def gold_batch(batch, batch_id):
    session = batch.sparkSession
    # MERGE takes its idempotency marker from the (per-query) session.
    session.conf.set('spark.databricks.delta.write.txnAppId', 'gold')
    session.conf.set('spark.databricks.delta.write.txnVersion', str(batch_id))
    (DeltaTable.forPath(session, GOLD).alias('g')
     .merge(batch.alias('b'), 'g.region = b.region AND g.window_start_ms = b.window_start_ms')
     .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute())


silver_stream = spark.readStream.format('delta').load(SILVER)
event_time = F.current_timestamp() if PLANT == 'processing-time-windows' else F.timestamp_millis('event_time_ms')
gold = (silver_stream.withColumn('event_time', event_time)
        .withWatermark('event_time', GOLD_DELAY)
        .groupBy(F.window('event_time', WINDOW), 'region')
        .agg(F.count(F.lit(1)).alias('event_count'),
             F.sum(F.when(F.col('event_type') == 'order_placed', 1).otherwise(0)).alias('order_count'),
             F.sum(F.when(F.col('event_type') == 'order_paid', F.round(F.col('amount') * 100)).otherwise(0)).cast('long').alias('revenue_cents'))
        .select('region', F.unix_millis(F.col('window.start')).alias('window_start_ms'), 'event_count', 'order_count', 'revenue_cents'))


def start(df, name, fn, mode='append'):
    return (df.writeStream.queryName(name).outputMode(mode).foreachBatch(fn)
            .option('checkpointLocation', os.path.join(CHECKPOINTS, name)).trigger(processingTime=TRIGGER).start())


queries = [
    start(kafka_source(), 'ingest', ingest_batch),
    start(deduped, 'silver', silver_batch),
    start(gold, 'gold', gold_batch, 'update'),
]
print(f'ready: spark-delta-example {CLIENT_ID} (queries {", ".join(q.name for q in queries)}{", planted: " + PLANT if PLANT else ""})', flush=True)

while not stopping:
    for q in queries:
        if not q.isActive:
            print(f'spark-delta-example: query {q.name} stopped: {q.exception()}', file=sys.stderr, flush=True)
            sys.exit(1)
    time.sleep(0.5)

# Drain: the input first, then the table fed by it.
started = time.time()
for q in queries:
    q.processAllAvailable()
    q.stop()
print(f'spark-delta-example: drained and stopped in {time.time() - started:.1f}s', flush=True)
spark.stop()
