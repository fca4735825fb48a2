package dev.streamproof.examples.kstreams;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Decides when to say `ready`: the first time the client is RUNNING with at least one active
 * task, or has stayed RUNNING for `idleReadyMs` without any (more instances than tasks).
 * A bare first RUNNING is too early: an instance that joins a group is RUNNING with no tasks
 * for a moment, and the group rebalances again right after (seen: 4-5 s more on 2 cores).
 */
final class Readiness implements AutoCloseable {
  private final KafkaStreams streams;
  private final IntConsumer announce;
  private final long idleReadyMs;
  private final AtomicBoolean announced = new AtomicBoolean(false);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "readiness");
    t.setDaemon(true);
    return t;
  });
  private volatile long runningSince = -1;

  /** `announce` gets the number of active tasks. */
  Readiness(KafkaStreams streams, IntConsumer announce, long idleReadyMs) {
    this.streams = streams;
    this.announce = announce;
    this.idleReadyMs = idleReadyMs;
    timer.scheduleWithFixedDelay(this::check, 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Call from the state listener. */
  void onStateChange(KafkaStreams.State next) {
    runningSince = next == KafkaStreams.State.RUNNING ? System.currentTimeMillis() : -1;
  }

  private void check() {
    long since = runningSince;
    if (announced.get() || since < 0 || streams.state() != KafkaStreams.State.RUNNING) return;
    int tasks;
    try {
      tasks = streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    } catch (RuntimeException changing) {
      return; // the client is between states: look again next time
    }
    if ((tasks > 0 || System.currentTimeMillis() - since >= idleReadyMs) && announced.compareAndSet(false, true)) {
      announce.accept(tasks);
      timer.shutdown();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
