package dev.streamproof.examples.kstreams;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** One region-window's tallies; one event's contribution is a Counts too, so the aggregate is a reduce. */
public record Counts(long eventCount, long orderCount, long revenueCents) {

  public Counts plus(Counts other) {
    return new Counts(eventCount + other.eventCount, orderCount + other.orderCount, revenueCents + other.revenueCents);
  }

  /** 24 bytes: three big-endian longs (repartition topic, state store, changelog). */
  public static Serde<Counts> serde() {
    Serializer<Counts> serializer = (topic, c) -> c == null ? null
        : ByteBuffer.allocate(24).putLong(c.eventCount).putLong(c.orderCount).putLong(c.revenueCents).array();
    Deserializer<Counts> deserializer = (topic, bytes) -> {
      if (bytes == null) return null;
      ByteBuffer b = ByteBuffer.wrap(bytes);
      return new Counts(b.getLong(), b.getLong(), b.getLong());
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
