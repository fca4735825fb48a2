package dev.streamproof.examples.kstreams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Parses and checks one `orders` event. Checks run in a fixed order so each poison kind of the
 * streamproof generator maps to one DLQ reason: oversized, malformed-json, not-an-object,
 * missing-field / wrong-type / unknown-schema-version of schema_version, missing-field,
 * wrong-type, invalid-value, and last breaking-rename (`total_amount` instead of `amount`).
 * Unknown extra fields are allowed and kept.
 */
public final class OrderValidator {

  /** A parsed event, or the reason it goes to the DLQ. */
  public record Result(ObjectNode event, String reason, String detail) {
    public boolean valid() {
      return event != null;
    }
  }

  /** Amounts are read as BigDecimal and written back plain and unnormalized, so `12.30` leaves exactly as it came. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();

  private static final Set<Integer> SCHEMA_VERSIONS = Set.of(1, 2);
  private static final List<String> REQUIRED = List.of(
      "event_id", "event_type", "event_time_ms", "key", "order_id", "amount", "currency", "region", "customer");
  private static final List<String> STRINGS = List.of("event_id", "event_type", "key", "order_id", "currency", "region");

  private final int maxRecordBytes;

  public OrderValidator(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  public Result validate(byte[] value) {
    if (value == null) return reject("null-value", "the record has no value");
    if (value.length > maxRecordBytes) return reject("oversized", value.length + " bytes > max " + maxRecordBytes);
    JsonNode parsed;
    try {
      parsed = MAPPER.readTree(value);
    } catch (JsonProcessingException e) {
      // Jackson's message may quote the input (PII): keep only the position.
      long at = e.getLocation() == null ? -1 : Math.max(e.getLocation().getByteOffset(), e.getLocation().getCharOffset());
      return reject("malformed-json", at < 0 ? "not valid JSON" : "not valid JSON at byte " + at);
    } catch (IOException e) {
      return reject("malformed-json", "not valid JSON");
    }
    if (parsed == null || parsed.isMissingNode()) return reject("malformed-json", "empty value");
    if (!(parsed instanceof ObjectNode o)) return reject("not-an-object", "top-level JSON is " + parsed.getNodeType());

    JsonNode version = o.get("schema_version");
    if (version == null) return reject("missing-field", "schema_version");
    if (!version.isIntegralNumber()) return reject("wrong-type", "schema_version is " + version.getNodeType());
    if (!SCHEMA_VERSIONS.contains(version.asInt())) return reject("unknown-schema-version", "schema_version " + version.asText());

    boolean renamed = !o.has("amount") && o.has("total_amount");
    for (String field : REQUIRED) {
      boolean present = field.equals("amount") ? (renamed || o.has("amount")) : o.has(field);
      if (!present) return reject("missing-field", field);
    }
    for (String field : STRINGS) {
      if (!o.get(field).isTextual()) return reject("wrong-type", field + " is " + o.get(field).getNodeType() + ", want string");
    }
    JsonNode time = o.get("event_time_ms");
    if (!time.isIntegralNumber()) return reject("wrong-type", "event_time_ms is " + time.getNodeType() + ", want integer");
    JsonNode amount = o.get(renamed ? "total_amount" : "amount");
    if (!amount.isNumber()) return reject("wrong-type", (renamed ? "total_amount" : "amount") + " is " + amount.getNodeType() + ", want number");
    if (!o.get("customer").isObject()) return reject("wrong-type", "customer is " + o.get("customer").getNodeType() + ", want object");

    if (time.asLong() < 0) return reject("invalid-value", "event_time_ms is negative");
    if (amount.decimalValue().signum() < 0) return reject("invalid-value", "amount is negative");
    if (o.get("event_id").asText().isEmpty()) return reject("invalid-value", "event_id is empty");
    if (o.get("region").asText().isEmpty()) return reject("invalid-value", "region is empty");
    if (renamed) return reject("breaking-rename", "'amount' renamed to 'total_amount' (schema_version " + version.asInt() + ")");
    return new Result(o, null, null);
  }

  private static Result reject(String reason, String detail) {
    return new Result(null, reason, detail);
  }
}
