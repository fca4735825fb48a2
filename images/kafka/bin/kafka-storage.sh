#!/bin/sh
# kafka-storage.sh format|info|random-uuid ...: Kafka's StorageTool.
exec /opt/kafka/bin/kafka-run-class.sh kafka.tools.StorageTool "$@"
