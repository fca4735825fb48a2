package dev.streamproof.examples.kstreams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ExampleConfigTest {
  private static Map<String, String> env(String... extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "STREAMPROOF_BOOTSTRAP_SERVERS", "b:9092", "STREAMPROOF_GROUP_ID", "g", "STREAMPROOF_INPUT_TOPICS", "in",
        "STREAMPROOF_OUTPUT_TOPICS", "clean, revenue", "STREAMPROOF_DLQ_TOPIC", "dlq"));
    for (int i = 0; i < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
    return env;
  }

  @Test
  void defaultsFollowTheContract() {
    ExampleConfig c = ExampleConfig.fromEnv(env());
    assertEquals("clean", c.recordsTopic());
    assertEquals("revenue", c.aggregateTopic());
    assertEquals(3, c.replicationFactor());
    Properties p = App.streamsProperties(c);
    assertEquals("exactly_once_v2", p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    assertEquals(100L, p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    assertEquals(500L, App.streamsProperties(ExampleConfig.fromEnv(env("EXAMPLE_COMMIT_INTERVAL_MS", "500"))).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    assertEquals(10_000, p.get(StreamsConfig.consumerPrefix("session.timeout.ms")));
    assertTrue(c.stateDir().toString().endsWith("streamproof-kstreams-g-0"));
    assertEquals("g-0", p.get(StreamsConfig.mainConsumerPrefix("group.instance.id")));
    assertEquals(null, App.streamsProperties(ExampleConfig.fromEnv(env("EXAMPLE_STATIC_MEMBERSHIP", "false"))).get(StreamsConfig.mainConsumerPrefix("group.instance.id")));
    assertEquals(1000L, App.streamsProperties(ExampleConfig.fromEnv(env("EXAMPLE_GUARANTEE", "at_least_once"))).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
  }

  @Test
  void replicationFactorTakesMinusOneForTheBrokerDefault() {
    assertEquals(-1, ExampleConfig.fromEnv(env("EXAMPLE_REPLICATION_FACTOR", "-1")).replicationFactor());
    assertEquals(1, ExampleConfig.fromEnv(env("EXAMPLE_REPLICATION_FACTOR", "1")).replicationFactor());
    assertThrows(IllegalArgumentException.class, () -> ExampleConfig.fromEnv(env("EXAMPLE_REPLICATION_FACTOR", "0")));
  }

  @Test
  void badValuesNameTheVariable() {
    var e = assertThrows(IllegalArgumentException.class, () -> ExampleConfig.fromEnv(env("EXAMPLE_GUARANTEE", "exactly_once")));
    assertTrue(e.getMessage().startsWith("EXAMPLE_GUARANTEE"));
    e = assertThrows(IllegalArgumentException.class, () -> ExampleConfig.fromEnv(env("STREAMPROOF_OUTPUT_TOPICS", "only-one")));
    assertTrue(e.getMessage().startsWith("STREAMPROOF_OUTPUT_TOPICS"));
    Map<String, String> missing = env();
    missing.remove("STREAMPROOF_DLQ_TOPIC");
    e = assertThrows(IllegalArgumentException.class, () -> ExampleConfig.fromEnv(missing));
    assertTrue(e.getMessage().contains("STREAMPROOF_DLQ_TOPIC"));
  }
}
