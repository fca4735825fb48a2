package dev.streamproof.examples.kstreams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The topology without a broker: validation and DLQ reasons, masking, headers, windows and emission. */
class OrderTopologyTest {
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a window start
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> input;
  private TestOutputTopic<String, byte[]> records;
  private TestOutputTopic<String, byte[]> aggregate;
  private TestOutputTopic<String, byte[]> dlq;
  private Path stateDir;

  private void start(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "STREAMPROOF_BOOTSTRAP_SERVERS", "unused:9092", "STREAMPROOF_GROUP_ID", "test", "STREAMPROOF_INSTANCE_ID", "7",
        "STREAMPROOF_INPUT_TOPICS", "in", "STREAMPROOF_OUTPUT_TOPICS", "clean,revenue", "STREAMPROOF_DLQ_TOPIC", "dlq",
        "STATE_DIR", (stateDir = Files.createTempDirectory("kstreams-test")).toString()));
    env.putAll(extra);
    ExampleConfig config = ExampleConfig.fromEnv(env);
    Properties props = App.streamsProperties(config);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once");
    driver = new TopologyTestDriver(OrderTopology.build(config, new Counters()), props);
    input = driver.createInputTopic("in", new StringSerializer(), new ByteArraySerializer());
    records = driver.createOutputTopic("clean", new StringDeserializer(), new ByteArrayDeserializer());
    aggregate = driver.createOutputTopic("revenue", new StringDeserializer(), new ByteArrayDeserializer());
    dlq = driver.createOutputTopic("dlq", new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void close() throws Exception {
    if (driver != null) driver.close();
    if (stateDir != null) {
      try (var paths = Files.walk(stateDir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
      }
    }
  }

  private static String event(String id, String type, String region, long time, String amount) {
    return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"schema_version\":1,\"event_time_ms\":" + time
        + ",\"key\":\"cust-000001\",\"order_id\":\"ORD-1\",\"amount\":" + amount + ",\"currency\":\"EUR\",\"region\":\"" + region
        + "\",\"customer\":{\"id\":\"cust-000001\",\"email\":\"Ada.Lovelace7@example.com\",\"card_last4\":\"0042\"}}";
  }

  private void send(String id, String value) {
    Headers headers = new RecordHeaders();
    headers.add("sp-event-id", id.getBytes(StandardCharsets.UTF_8));
    headers.add("sp-send-ts", "1700000000000000".getBytes(StandardCharsets.UTF_8));
    input.pipeInput(new TestRecord<>("cust-000001", value.getBytes(StandardCharsets.UTF_8), headers, 0L));
  }

  private static String header(TestRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static JsonNode json(byte[] bytes) throws Exception {
    return OrderValidator.MAPPER.readTree(bytes);
  }

  @Test
  void validEventsAreMaskedAndKeepTheirHeaders() throws Exception {
    start(Map.of());
    send("e-1", event("e-1", "order_placed", "eu-west", T0 + 1_000, "12.30"));
    TestRecord<String, byte[]> out = records.readRecord();
    JsonNode v = json(out.value());
    assertEquals("cust-000001", out.key());
    assertEquals("e-1", header(out, "sp-event-id"));
    assertEquals("1700000000000000", header(out, "sp-send-ts"));
    assertEquals("e-1", v.get("event_id").asText());
    assertEquals("7", v.get("processed_by").asText());
    assertEquals("12.30", v.get("amount").asText());
    assertTrue(new String(out.value(), StandardCharsets.UTF_8).contains("\"amount\":12.30,"));
    assertEquals("cust-000001", v.get("customer").get("id").asText());
    assertTrue(v.get("customer").get("email_token").asText().matches("tok_[0-9a-f]{16}"));
    String text = new String(out.value(), StandardCharsets.UTF_8);
    assertFalse(text.contains("Lovelace") || text.contains("0042") || text.contains("card_last4"), text);
    assertTrue(dlq.isEmpty());
  }

  @Test
  void eachPoisonKindGoesToTheDlqWithItsReasonAndOriginalBytes() throws Exception {
    start(Map.of("EXAMPLE_MAX_RECORD_BYTES", "2000"));
    String good = event("x", "order_paid", "eu-west", T0, "5");
    Map<String, String> poison = new java.util.LinkedHashMap<>();
    poison.put("malformed-json", good.substring(0, 40));
    poison.put("wrong-type", good.replace("\"amount\":5", "\"amount\":\"5.00\""));
    poison.put("missing-field", good.replace("\"order_id\":\"ORD-1\",", ""));
    poison.put("unknown-schema-version", good.replace("\"schema_version\":1", "\"schema_version\":99"));
    poison.put("breaking-rename", good.replace("\"schema_version\":1", "\"schema_version\":2").replace("\"amount\"", "\"total_amount\""));
    poison.put("oversized", good.replace("}}", "},\"padding\":\"" + "x".repeat(2000) + "\"}"));
    poison.put("not-an-object", "[1,2]");
    for (Map.Entry<String, String> p : poison.entrySet()) send(p.getKey(), p.getValue());
    List<TestRecord<String, byte[]>> out = dlq.readRecordsToList();
    assertEquals(poison.keySet().stream().toList(), out.stream().map(r -> header(r, "sp-dlq-reason")).toList());
    for (TestRecord<String, byte[]> r : out) {
      assertEquals(poison.get(header(r, "sp-event-id")), new String(r.value(), StandardCharsets.UTF_8));
      assertEquals("1700000000000000", header(r, "sp-send-ts"));
      assertTrue(header(r, "sp-dlq-detail") != null);
    }
    assertTrue(records.isEmpty());
  }

  @Test
  void finalWindowsEmitOncePerRegionWhenStreamTimePassesEndPlusGrace() throws Exception {
    start(Map.of());
    send("a", event("a", "order_placed", "eu-west", T0 + 1_000, "0.29"));
    send("b", event("b", "order_paid", "eu-west", T0 + 2_000, "0.29"));
    send("c", event("c", "order_paid", "eu-west", T0 + 3_000, "100.01"));
    send("d", event("d", "order_shipped", "us-east", T0 + 59_999, "3"));
    send("e", event("e", "order_placed", "us-east", T0 + 89_000, "3")); // stream time 89 s: window [0, 60) still open
    assertTrue(aggregate.isEmpty());
    send("f", event("f", "order_placed", "us-east", T0 + 90_000, "3")); // 90 s = end + grace: closes it
    Map<String, JsonNode> rows = aggregate.readRecordsToList().stream()
        .collect(Collectors.toMap(TestRecord::key, r -> {
          try {
            return json(r.value());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
    assertEquals(2, rows.size());
    JsonNode eu = rows.get("eu-west");
    assertEquals(T0, eu.get("window_start_ms").asLong());
    assertEquals(T0 + 60_000, eu.get("window_end_ms").asLong());
    assertEquals(3, eu.get("event_count").asLong());
    assertEquals(1, eu.get("order_count").asLong());
    assertEquals(29 + 10_001, eu.get("revenue_cents").asLong());
    assertEquals(1, rows.get("us-east").get("event_count").asLong());

    send("late", event("late", "order_paid", "eu-west", T0 + 10_000, "1")); // its window has closed: dropped
    assertTrue(aggregate.isEmpty());
    assertEquals(7, records.readRecordsToList().size()); // a..f and the late one: only windows drop late records
    double dropped = driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("dropped-records-total"))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    assertEquals(1.0, dropped);
  }

  @Test
  void updatesModeEmitsBeforeTheWindowCloses() throws Exception {
    start(Map.of("EXAMPLE_EMIT", "updates"));
    send("a", event("a", "order_placed", "ap-south", T0 + 1_000, "2"));
    List<TestRecord<String, byte[]>> rows = aggregate.readRecordsToList();
    assertFalse(rows.isEmpty());
    JsonNode last = json(rows.get(rows.size() - 1).value());
    assertEquals(1, last.get("order_count").asLong());
    assertNull(rows.get(0).headers().lastHeader("sp-event-id"));
  }
}
