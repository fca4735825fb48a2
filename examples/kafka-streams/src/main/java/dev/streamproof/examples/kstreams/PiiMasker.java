package dev.streamproof.examples.kstreams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Masks personal data in an `orders` event: `customer.email` becomes `customer.email_token`
 * (`tok_` + 16 hex digits of HMAC-SHA256(secret, trimmed lower-case email): stable, so joins
 * by customer still work, and unlinkable without the secret); card and contact fields are dropped.
 * Every other field is kept as it came.
 */
public final class PiiMasker {
  /** Fields dropped wherever they appear at the top level or under `customer`. */
  static final List<String> DROPPED = List.of("card_last4", "card_number", "name", "first_name", "last_name", "phone", "address");

  private final Mac mac;

  public PiiMasker(String secret) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Masks in place and returns the same node. */
  public ObjectNode mask(ObjectNode event) {
    event.remove(DROPPED);
    JsonNode customer = event.get("customer");
    if (customer instanceof ObjectNode c) {
      JsonNode email = c.remove("email");
      c.remove(DROPPED);
      if (email != null && email.isTextual()) c.put("email_token", token(email.asText()));
    }
    JsonNode email = event.remove("email");
    if (email != null && email.isTextual()) event.put("email_token", token(email.asText()));
    return event;
  }

  String token(String email) {
    byte[] digest = mac.doFinal(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    return "tok_" + HexFormat.of().formatHex(digest, 0, 8);
  }
}
