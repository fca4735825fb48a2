package dev.streamproof.examples.kstreams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: `java -jar kafka-streams-example.jar [--help | --describe]`; configuration from the environment. */
public final class App {
  private static final Logger LOG = LoggerFactory.getLogger("streams-example");
  /** Longer than any event-time gap in a test, so the broker never deletes window changelogs by age. */
  private static final long TEN_YEARS_MS = Duration.ofDays(3650).toMillis();

  static final String USAGE = """
      usage: java -jar kafka-streams-example.jar [--help | --describe]
        (no argument)  run the pipeline; configuration from the environment:
          STREAMPROOF_BOOTSTRAP_SERVERS, STREAMPROOF_GROUP_ID (application.id), STREAMPROOF_CLIENT_ID,
          STREAMPROOF_INPUT_TOPICS (one), STREAMPROOF_OUTPUT_TOPICS (records,aggregate), STREAMPROOF_DLQ_TOPIC,
          STREAMPROOF_INSTANCE_ID, STREAMPROOF_METRICS_PORT,
          EXAMPLE_GUARANTEE (exactly_once_v2 | at_least_once), EXAMPLE_EMIT (final | updates),
          EXAMPLE_COMMIT_INTERVAL_MS (100 with exactly_once_v2, 1000 with at_least_once),
          EXAMPLE_WINDOW_MS (60000), EXAMPLE_GRACE_MS (30000), EXAMPLE_REPLICATION_FACTOR (3; -1 = broker default),
          EXAMPLE_MAX_RECORD_BYTES (1000000), EXAMPLE_OUTPUT_TIMESTAMP (wall-clock | event-time),
          EXAMPLE_STATIC_MEMBERSHIP (true), EXAMPLE_PII_SECRET, STATE_DIR
        --describe     print the topology (with placeholder topics where variables are unset) and exit
        --warm-up      load the classes a run loads (clients built, never connected) and exit: used to
                       train a class-data-sharing archive (-XX:ArchiveClassesAtExit) for faster starts
      """;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(USAGE);
      return;
    }
    if (args.length > 0 && args[0].equals("--describe")) {
      Map<String, String> env = new HashMap<>(Map.of(
          "STREAMPROOF_BOOTSTRAP_SERVERS", "localhost:9092", "STREAMPROOF_GROUP_ID", "streams-example",
          "STREAMPROOF_INPUT_TOPICS", "orders.raw.v1", "STREAMPROOF_OUTPUT_TOPICS", "orders.clean.v1,orders.revenue.v1",
          "STREAMPROOF_DLQ_TOPIC", "orders.dlq.v1"));
      env.putAll(System.getenv());
      System.out.println(OrderTopology.build(ExampleConfig.fromEnv(env), new Counters()).describe());
      return;
    }
    if (args.length > 0 && args[0].equals("--warm-up")) {
      warmUp();
      return;
    }
    if (args.length > 0) {
      System.err.print(USAGE);
      System.exit(64);
    }
    ExampleConfig config;
    try {
      config = ExampleConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("streams-example: " + e.getMessage());
      System.exit(78);
      return;
    }
    int code = run(config);
    // On SIGTERM the JVM is already exiting (System.exit would block): just return.
    if (!SIGNALLED.get()) System.exit(code);
  }

  /** Set by the shutdown hook: the JVM is exiting because of a signal. */
  private static final AtomicBoolean SIGNALLED = new AtomicBoolean(false);

  /** Builds everything a run builds (topology, clients, JSON, metrics text) without connecting, then closes. */
  static void warmUp() throws Exception {
    Path stateDir = Files.createTempDirectory("streams-example-warm-up");
    Map<String, String> env = new HashMap<>(Map.of(
        "STREAMPROOF_BOOTSTRAP_SERVERS", "127.0.0.1:9", "STREAMPROOF_GROUP_ID", "streams-example-warm-up",
        "STREAMPROOF_INPUT_TOPICS", "in", "STREAMPROOF_OUTPUT_TOPICS", "records,aggregate", "STREAMPROOF_DLQ_TOPIC", "dlq",
        "STATE_DIR", stateDir.toString()));
    ExampleConfig config = ExampleConfig.fromEnv(env);
    Counters counters = new Counters();
    byte[] sample = ("{\"event_id\":\"e\",\"event_type\":\"order_paid\",\"schema_version\":1,\"event_time_ms\":1,\"key\":\"k\","
        + "\"order_id\":\"o\",\"amount\":1.5,\"currency\":\"EUR\",\"region\":\"r\",\"customer\":{\"id\":\"k\",\"email\":\"a@b\",\"card_last4\":\"1\"}}")
        .getBytes(StandardCharsets.UTF_8);
    OrderValidator.Result result = new OrderValidator(config.maxRecordBytes()).validate(sample);
    OrderValidator.MAPPER.writeValueAsBytes(new PiiMasker(config.piiSecret()).mask(result.event()));
    new OrderValidator(config.maxRecordBytes()).validate(new byte[] {'{'});
    EventTimeExtractor.eventTimeMs(sample);
    KafkaStreams streams = new KafkaStreams(OrderTopology.build(config, counters), streamsProperties(config));
    MetricsServer.text("0", counters, streams);
    streams.close(Duration.ofSeconds(10));
    try (Stream<Path> paths = Files.walk(stateDir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    }
    LOG.info("warm-up done");
  }

  static Properties streamsProperties(ExampleConfig config) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.CLIENT_ID_CONFIG, config.clientId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.guarantee());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
    // Kafka's default 45 s makes every crash recovery wait for the dead member's session to expire.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
    if (config.staticMembership()) {
      // Static membership (KIP-345): an instance restarted within the session timeout takes its own
      // tasks back without a rebalance (Kafka Streams appends "-<thread>" to the id).
      p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.applicationId() + "-" + config.instanceId());
    }
    // Window changelogs are 'compact,delete' with retention = window + grace + this; generated event
    // times may be months old, and the broker deletes by record time: keep them.
    p.put(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG, TEN_YEARS_MS);
    return p;
  }

  static int run(ExampleConfig config) throws Exception {
    Counters counters = new Counters();
    Topology topology = OrderTopology.build(config, counters);
    KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config));
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger exitCode = new AtomicInteger(0);
    AtomicBoolean stopping = new AtomicBoolean(false);
    CountDownLatch closed = new CountDownLatch(1);

    Readiness readiness = new Readiness(streams, tasks -> LOG.info("ready: instance {} ({} active tasks, guarantee {}, emit {})",
        config.instanceId(), tasks, config.guarantee(), config.emitFinal() ? "final" : "updates"), 10_000);
    streams.setStateListener((next, previous) -> {
      LOG.info("state: {} -> {}", previous, next);
      readiness.onStateChange(next);
      if (next == KafkaStreams.State.ERROR || (next == KafkaStreams.State.NOT_RUNNING && !stopping.get())) {
        exitCode.set(1);
        done.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(error -> {
      LOG.error("stream thread failed; shutting down", error);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });

    MetricsServer metrics = config.metricsPort() > 0 ? new MetricsServer(config.metricsPort(), config.instanceId(), counters, streams) : null;
    Thread hook = new Thread(() -> {
      SIGNALLED.set(true);
      stopping.set(true);
      LOG.info("signal: closing");
      done.countDown();
      try {
        // The JVM halts when the hooks return: wait for the main thread's clean close.
        closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown-hook");
    Runtime.getRuntime().addShutdownHook(hook);

    LOG.info("starting instance {}: {} -> {}, {} (dlq {}), state dir {}", config.instanceId(), config.inputTopic(),
        config.recordsTopic(), config.aggregateTopic(), config.dlqTopic(), config.stateDir());
    streams.start();
    done.await();
    stopping.set(true);
    readiness.close();
    // Leave the group on a clean stop, static member or not, so the others take the tasks now.
    boolean clean = streams.close(CloseOptions.timeout(Duration.ofSeconds(20))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    if (metrics != null) metrics.close();
    LOG.info("closed{} (records in {}, processed {}, dlq {}, windows emitted {})", clean ? "" : " (timed out)",
        counters.recordsIn.get(), counters.recordsProcessed.get(), counters.dlqTotal(), counters.windowsEmitted.get());
    closed.countDown();
    return exitCode.get();
  }
}
