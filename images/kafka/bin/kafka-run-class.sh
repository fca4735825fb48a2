#!/bin/sh
# A small kafka-run-class.sh: runs one main class on the image's jars with the same
# environment variables as Kafka's own script (which the Maven jars do not ship).
main="$1"; shift
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} \
  ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -Djava.awt.headless=true} \
  ${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties} \
  ${KAFKA_OPTS} -cp '/opt/kafka/libs/*' "$main" "$@"
