package dev.streamproof.examples.kstreams;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The app's own counters for /metrics. They count processing attempts: after a crash or an
 * aborted transaction a record is processed again and counted again.
 */
public final class Counters {
  public final AtomicLong recordsIn = new AtomicLong();
  public final AtomicLong recordsProcessed = new AtomicLong();
  public final AtomicLong windowsEmitted = new AtomicLong();
  public final Map<String, AtomicLong> dlqByReason = new ConcurrentSkipListMap<>();

  public void dlq(String reason) {
    dlqByReason.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
  }

  public long dlqTotal() {
    return dlqByReason.values().stream().mapToLong(AtomicLong::get).sum();
  }
}
