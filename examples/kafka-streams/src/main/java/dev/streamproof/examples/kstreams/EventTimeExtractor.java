package dev.streamproof.examples.kstreams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for windowing: the top-level `event_time_ms` of the JSON value, read with a
 * streaming parser that stops at that field. Values without a usable one (poison) fall back to
 * the record's own timestamp; they go to the DLQ and never reach a window.
 */
public final class EventTimeExtractor implements TimestampExtractor {
  private static final JsonFactory FACTORY = new JsonFactory();

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof byte[] bytes) {
      long t = eventTimeMs(bytes);
      if (t >= 0) return t;
    }
    return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
  }

  /** The value's top-level integer `event_time_ms`, or -1. */
  static long eventTimeMs(byte[] value) {
    try (JsonParser p = FACTORY.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return -1;
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("event_time_ms")) return v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
        p.skipChildren();
      }
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }
}
