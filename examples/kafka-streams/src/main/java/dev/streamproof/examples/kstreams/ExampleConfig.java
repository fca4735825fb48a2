package dev.streamproof.examples.kstreams;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything the app reads from its environment: the streamproof SUT contract
 * (STREAMPROOF_*) and the example's own knobs (EXAMPLE_*). See README.md.
 */
public record ExampleConfig(
    String bootstrapServers,
    String applicationId,
    String clientId,
    String inputTopic,
    String recordsTopic,
    String aggregateTopic,
    String dlqTopic,
    String instanceId,
    int metricsPort,
    String guarantee,
    long commitIntervalMs,
    Path stateDir,
    int replicationFactor,
    long windowMs,
    long graceMs,
    boolean emitFinal,
    int maxRecordBytes,
    boolean wallClockOutputTimestamps,
    boolean staticMembership,
    String piiSecret) {

  public static final List<String> GUARANTEES = List.of("exactly_once_v2", "at_least_once");

  /** Reads the configuration; a missing or bad variable is an IllegalArgumentException naming it. */
  public static ExampleConfig fromEnv(Map<String, String> env) {
    String instance = env.getOrDefault("STREAMPROOF_INSTANCE_ID", "0");
    List<String> outputs = Arrays.stream(required(env, "STREAMPROOF_OUTPUT_TOPICS").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (outputs.size() != 2) {
      throw new IllegalArgumentException("STREAMPROOF_OUTPUT_TOPICS must name two topics (records, aggregate), got '"
          + env.get("STREAMPROOF_OUTPUT_TOPICS") + "'");
    }
    List<String> inputs = Arrays.stream(required(env, "STREAMPROOF_INPUT_TOPICS").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("STREAMPROOF_INPUT_TOPICS must name one topic, got '" + env.get("STREAMPROOF_INPUT_TOPICS") + "'");
    }
    String guarantee = env.getOrDefault("EXAMPLE_GUARANTEE", "exactly_once_v2");
    if (!GUARANTEES.contains(guarantee)) {
      throw new IllegalArgumentException("EXAMPLE_GUARANTEE must be one of " + GUARANTEES + ", got '" + guarantee + "'");
    }
    String emit = env.getOrDefault("EXAMPLE_EMIT", "final");
    if (!emit.equals("final") && !emit.equals("updates")) {
      throw new IllegalArgumentException("EXAMPLE_EMIT must be 'final' or 'updates', got '" + emit + "'");
    }
    String stamps = env.getOrDefault("EXAMPLE_OUTPUT_TIMESTAMP", "wall-clock");
    if (!stamps.equals("wall-clock") && !stamps.equals("event-time")) {
      throw new IllegalArgumentException("EXAMPLE_OUTPUT_TIMESTAMP must be 'wall-clock' or 'event-time', got '" + stamps + "'");
    }
    String stateDir = env.get("STATE_DIR");
    Path state = stateDir != null && !stateDir.isEmpty()
        ? Path.of(stateDir)
        : Path.of(System.getProperty("java.io.tmpdir"), "streamproof-kstreams-" + required(env, "STREAMPROOF_GROUP_ID") + "-" + instance);
    return new ExampleConfig(
        required(env, "STREAMPROOF_BOOTSTRAP_SERVERS"),
        required(env, "STREAMPROOF_GROUP_ID"),
        env.getOrDefault("STREAMPROOF_CLIENT_ID", "streams-example-" + instance),
        inputs.get(0),
        outputs.get(0),
        outputs.get(1),
        required(env, "STREAMPROOF_DLQ_TOPIC"),
        instance,
        (int) number(env, "STREAMPROOF_METRICS_PORT", 0),
        guarantee,
        number(env, "EXAMPLE_COMMIT_INTERVAL_MS", guarantee.equals("exactly_once_v2") ? 100 : 1000),
        state,
        replicationFactor(env),
        number(env, "EXAMPLE_WINDOW_MS", 60_000),
        number(env, "EXAMPLE_GRACE_MS", 30_000),
        emit.equals("final"),
        (int) number(env, "EXAMPLE_MAX_RECORD_BYTES", 1_000_000),
        stamps.equals("wall-clock"),
        bool(env, "EXAMPLE_STATIC_MEMBERSHIP", true),
        env.getOrDefault("EXAMPLE_PII_SECRET", "streamproof-example"));
  }

  public boolean exactlyOnce() {
    return guarantee.equals("exactly_once_v2");
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set (see README.md)");
    }
    return value;
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) return fallback;
    if (value.equals("true") || value.equals("false")) return value.equals("true");
    throw new IllegalArgumentException(name + " must be 'true' or 'false', got '" + value + "'");
  }

  /** 3 by default (the lab's brokers); -1 takes the brokers' default.replication.factor. */
  private static int replicationFactor(Map<String, String> env) {
    String value = env.get("EXAMPLE_REPLICATION_FACTOR");
    if (value != null && value.trim().equals("-1")) return -1;
    long rf = number(env, "EXAMPLE_REPLICATION_FACTOR", 3);
    if (rf < 1 || rf > Short.MAX_VALUE) {
      throw new IllegalArgumentException("EXAMPLE_REPLICATION_FACTOR must be -1 (broker default) or 1.." + Short.MAX_VALUE + ", got '" + value + "'");
    }
    return (int) rf;
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) return fallback;
    try {
      long n = Long.parseLong(value.trim());
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a non-negative integer, got '" + value + "'");
    }
  }
}
