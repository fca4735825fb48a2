package dev.streamproof.examples.kstreams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * input (JSON orders) ──validate──┬─ invalid ─▶ DLQ (original bytes + sp-dlq-reason header)
 *                                 ├─ valid ───▶ mask PII, add processed_by ─▶ records output
 *                                 └─ valid ───▶ key by region ─▶ repartition "by-region"
 *                                               ─▶ event-time tumbling windows (reduce)
 *                                               ─▶ [suppress until the window closes] ─▶ aggregate output
 * Input headers ride along to the DLQ and records outputs; aggregate rows carry none.
 */
public final class OrderTopology {
  public static final String REPARTITION_NAME = "by-region";
  public static final String WINDOW_STORE = "region-window-counts";
  public static final String SUPPRESS_NAME = "region-window-final";

  /** What validation hands on: the parsed event and its window contribution, or why it is rejected. */
  record Routed(byte[] raw, ObjectNode event, String region, Counts contribution, String reason, String detail) {}

  private OrderTopology() {}

  public static Topology build(ExampleConfig config, Counters counters) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, Routed> routed = builder
        .stream(config.inputTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray())
            .withTimestampExtractor(new EventTimeExtractor()).withName("orders-source"))
        .processValues(() -> new Validate(config.maxRecordBytes(), counters), Named.as("validate"));

    var branches = routed.split(Named.as("route-"))
        .branch((key, r) -> r.event() != null, Branched.as("valid"))
        .defaultBranch(Branched.as("invalid"));
    KStream<String, Routed> valid = branches.get("route-valid");
    KStream<String, Routed> invalid = branches.get("route-invalid");

    invalid.processValues(() -> new ToDlq(config.wallClockOutputTimestamps(), counters), Named.as("to-dlq"))
        .to(config.dlqTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("dlq-sink"));

    valid.processValues(() -> new MaskRecord(config, counters), Named.as("mask-pii"))
        .to(config.recordsTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("records-sink"));

    KTable<Windowed<String>, Counts> windows = valid
        .map((key, r) -> KeyValue.pair(r.region(), r.contribution()), Named.as("key-by-region"))
        .groupByKey(Grouped.with(REPARTITION_NAME, Serdes.String(), Counts.serde()))
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(config.windowMs()), Duration.ofMillis(config.graceMs())))
        .reduce(Counts::plus, Named.as("region-window-reduce"),
            Materialized.<String, Counts, WindowStore<Bytes, byte[]>>as(WINDOW_STORE)
                .withKeySerde(Serdes.String()).withValueSerde(Counts.serde()));
    if (config.emitFinal()) {
      windows = windows.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName(SUPPRESS_NAME));
    }
    windows.toStream(Named.as("window-results"))
        .process(() -> new WindowRow(config.wallClockOutputTimestamps(), counters), Named.as("window-row"))
        .to(config.aggregateTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("aggregate-sink"));
    return builder.build();
  }

  /** Parses and validates; the region and window contribution are computed here, before masking. */
  static final class Validate implements FixedKeyProcessor<String, byte[], Routed> {
    private final OrderValidator validator;
    private final Counters counters;
    private FixedKeyProcessorContext<String, Routed> context;

    Validate(int maxRecordBytes, Counters counters) {
      this.validator = new OrderValidator(maxRecordBytes);
      this.counters = counters;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
      counters.recordsIn.incrementAndGet();
      OrderValidator.Result result = validator.validate(record.value());
      if (!result.valid()) {
        context.forward(record.withValue(new Routed(record.value(), null, null, null, result.reason(), result.detail())));
        return;
      }
      ObjectNode event = result.event();
      String type = event.get("event_type").asText();
      long revenueCents = type.equals("order_paid") ? cents(event.get("amount")) : 0;
      Counts contribution = new Counts(1, type.equals("order_placed") ? 1 : 0, revenueCents);
      context.forward(record.withValue(new Routed(record.value(), event, event.get("region").asText(), contribution, null, null)));
    }

    /** Math.round(amount * 100), exactly: amounts are read as decimals (half up; amounts are never negative). */
    static long cents(JsonNode amount) {
      BigDecimal value = amount.decimalValue();
      return value.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
  }

  /** The original bytes and headers, plus `sp-dlq-reason` and `sp-dlq-detail`. */
  static final class ToDlq implements FixedKeyProcessor<String, Routed, byte[]> {
    private final boolean wallClock;
    private final Counters counters;
    private FixedKeyProcessorContext<String, byte[]> context;

    ToDlq(boolean wallClock, Counters counters) {
      this.wallClock = wallClock;
      this.counters = counters;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Routed> record) {
      RecordHeaders headers = new RecordHeaders(record.headers().toArray());
      headers.add("sp-dlq-reason", record.value().reason().getBytes(StandardCharsets.UTF_8));
      headers.add("sp-dlq-detail", record.value().detail().getBytes(StandardCharsets.UTF_8));
      counters.dlq(record.value().reason());
      FixedKeyRecord<String, byte[]> out = record.withValue(record.value().raw()).withHeaders(headers);
      context.forward(wallClock ? out.withTimestamp(System.currentTimeMillis()) : out);
    }
  }

  /** The event with PII masked and `processed_by` added; everything else as it came. */
  static final class MaskRecord implements FixedKeyProcessor<String, Routed, byte[]> {
    private final PiiMasker masker;
    private final String instanceId;
    private final boolean wallClock;
    private final Counters counters;
    private FixedKeyProcessorContext<String, byte[]> context;

    MaskRecord(ExampleConfig config, Counters counters) {
      this.masker = new PiiMasker(config.piiSecret());
      this.instanceId = config.instanceId();
      this.wallClock = config.wallClockOutputTimestamps();
      this.counters = counters;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Routed> record) {
      // The event node is this branch's alone: the window branch only reads region and contribution.
      ObjectNode event = masker.mask(record.value().event());
      event.put("processed_by", instanceId);
      byte[] bytes;
      try {
        bytes = OrderValidator.MAPPER.writeValueAsBytes(event);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialize a parsed event", e);
      }
      counters.recordsProcessed.incrementAndGet();
      FixedKeyRecord<String, byte[]> out = record.withValue(bytes);
      context.forward(wallClock ? out.withTimestamp(System.currentTimeMillis()) : out);
    }
  }

  /** One window result as a JSON row keyed by region, without headers. */
  static final class WindowRow implements Processor<Windowed<String>, Counts, String, byte[]> {
    private final boolean wallClock;
    private final Counters counters;
    private ProcessorContext<String, byte[]> context;

    WindowRow(boolean wallClock, Counters counters) {
      this.wallClock = wallClock;
      this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<Windowed<String>, Counts> record) {
      Counts c = record.value();
      if (c == null) return;
      ObjectNode row = OrderValidator.MAPPER.createObjectNode()
          .put("region", record.key().key())
          .put("window_start_ms", record.key().window().start())
          .put("window_end_ms", record.key().window().end())
          .put("event_count", c.eventCount())
          .put("order_count", c.orderCount())
          .put("revenue_cents", c.revenueCents());
      byte[] bytes;
      try {
        bytes = OrderValidator.MAPPER.writeValueAsBytes(row);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialize a window row", e);
      }
      counters.windowsEmitted.incrementAndGet();
      Record<String, byte[]> out = new Record<>(record.key().key(), bytes, wallClock ? System.currentTimeMillis() : record.timestamp(), new RecordHeaders());
      context.forward(out);
    }
  }
}
