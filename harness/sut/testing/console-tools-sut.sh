#!/bin/sh
# A SUT with no Node in it: Kafka's own console consumer piped through `sed -u` (unbuffered,
# so each record goes through at once) into its console producer. It reads only the
# contract's environment variables (plus KAFKA_CLASSPATH).
set -eu
java -cp "$KAFKA_CLASSPATH" org.apache.kafka.tools.consumer.ConsoleConsumer \
  --bootstrap-server "$STREAMPROOF_BOOTSTRAP_SERVERS" --topic "$STREAMPROOF_INPUT_TOPICS" \
  --group "$STREAMPROOF_GROUP_ID" --consumer-property "client.id=$STREAMPROOF_CLIENT_ID" \
  --consumer-property session.timeout.ms=10000 --from-beginning \
  | sed -u 'y/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/' \
  | java -cp "$KAFKA_CLASSPATH" org.apache.kafka.tools.ConsoleProducer \
      --bootstrap-server "$STREAMPROOF_BOOTSTRAP_SERVERS" --topic "$STREAMPROOF_OUTPUT_TOPICS"
