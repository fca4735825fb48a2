module streamproof.invalid/xk6-kafka

go 1.24.0

require (
	github.com/grafana/sobek v0.0.0-20260121195222-d8d9202018c5
	github.com/segmentio/kafka-go v0.4.50
	go.k6.io/k6 v1.6.1
)
