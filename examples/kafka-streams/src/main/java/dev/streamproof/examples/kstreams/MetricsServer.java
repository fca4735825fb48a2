package dev.streamproof.examples.kstreams;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/** Prometheus text on http://127.0.0.1:PORT/metrics and a readiness probe on /health (200 once RUNNING). */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  public MetricsServer(int port, String instanceId, Counters counters, KafkaStreams streams) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/metrics", exchange -> {
      byte[] body = text(instanceId, counters, streams).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/health", exchange -> {
      boolean running = streams.state() == KafkaStreams.State.RUNNING;
      byte[] body = streams.state().name().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(running ? 200 : 503, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  static String text(String instance, Counters counters, KafkaStreams streams) {
    String labels = "instance=\"" + instance + "\"";
    StringBuilder b = new StringBuilder();
    counter(b, "streams_example_records_in_total", labels, counters.recordsIn.get());
    counter(b, "streams_example_records_processed_total", labels, counters.recordsProcessed.get());
    b.append("# TYPE streams_example_dlq_records_total counter\n");
    b.append("streams_example_dlq_records_total{").append(labels).append("} ").append(counters.dlqTotal()).append('\n');
    for (Map.Entry<String, AtomicLong> e : counters.dlqByReason.entrySet()) {
      b.append("streams_example_dlq_records_total{").append(labels).append(",reason=\"").append(e.getKey()).append("\"} ")
          .append(e.getValue().get()).append('\n');
    }
    counter(b, "streams_example_windows_emitted_total", labels, counters.windowsEmitted.get());
    counter(b, "streams_example_dropped_records_total", labels, (long) sum(streams, "dropped-records-total"));
    b.append("# TYPE streams_example_running gauge\n");
    b.append("streams_example_running{").append(labels).append(",state=\"").append(streams.state().name()).append("\"} ")
        .append(streams.state() == KafkaStreams.State.RUNNING ? 1 : 0).append('\n');
    return b.toString();
  }

  /** Sum of one Kafka Streams metric over all its tags (e.g. every task's dropped-records-total). */
  static double sum(KafkaStreams streams, String name) {
    double total = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      if (e.getKey().name().equals(name) && e.getValue().metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
        total += n.doubleValue();
      }
    }
    return total;
  }

  private static void counter(StringBuilder b, String name, String labels, long value) {
    b.append("# TYPE ").append(name).append(" counter\n").append(name).append('{').append(labels).append("} ").append(value).append('\n');
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
