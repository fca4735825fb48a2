package kafka

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/grafana/sobek"
	kafkago "github.com/segmentio/kafka-go"
	"go.k6.io/k6/js/common"
	"go.k6.io/k6/metrics"
)

type sharedWriter struct {
	writer    *kafkago.Writer
	closeOnce sync.Once
	closeErr  error
}

func newSharedWriter(c writerConfig) *sharedWriter {
	var balancer kafkago.Balancer = kafkago.Murmur2Balancer{}
	if c.Balancer == "round_robin" {
		balancer = &kafkago.RoundRobin{}
	}
	return &sharedWriter{writer: &kafkago.Writer{
		Addr:         kafkago.TCP(c.Brokers...),
		Topic:        c.Topic,
		Balancer:     balancer,
		RequiredAcks: kafkago.RequiredAcks(c.RequiredAcks),
		BatchTimeout: time.Duration(c.BatchTimeoutMs) * time.Millisecond,
		BatchSize:    c.BatchSize,
		MaxAttempts:  c.MaxAttempts,
		WriteTimeout: time.Duration(c.WriteTimeoutMs) * time.Millisecond,
		// Topics are created by the harness before the test: a typo must not create a new one.
		AllowAutoTopicCreation: false,
	}}
}

func (s *sharedWriter) close() error {
	s.closeOnce.Do(func() { s.closeErr = s.writer.Close() })
	return s.closeErr
}

// Writer is the JS object `new Writer(...)` returns.
type Writer struct {
	mi     *moduleInstance
	shared *sharedWriter
}

// Produce writes `{ messages: [{ key?, value }] }` synchronously: it returns once every
// message is acknowledged (per requiredAcks) or has failed. Failures are counted in
// kafka_writer_error_count (one per message) and thrown, like xk6-kafka's produce().
func (w *Writer) Produce(arg sobek.Value) {
	rt := w.mi.vu.Runtime()
	state := w.mi.vu.State()
	if state == nil {
		common.Throw(rt, errors.New("produce() can only be called in VU code, not in the init context"))
	}
	messages, size, err := parseMessages(rt, arg)
	if err != nil {
		common.Throw(rt, err)
	}
	started := time.Now()
	err = w.shared.writer.WriteMessages(w.mi.vu.Context(), messages...)
	elapsed := time.Since(started)

	failed := len(messages)
	var perMessage kafkago.WriteErrors
	switch {
	case err == nil:
		failed = 0
	case errors.As(err, &perMessage):
		failed = perMessage.Count()
		size = 0
		for i, m := range messages {
			if perMessage[i] == nil {
				size += len(m.Key) + len(m.Value)
			}
		}
	default:
		size = 0
	}
	m := w.mi.metrics
	now := time.Now()
	tags := state.Tags.GetCurrentValues().Tags
	sample := func(metric *metrics.Metric, value float64) metrics.Sample {
		return metrics.Sample{TimeSeries: metrics.TimeSeries{Metric: metric, Tags: tags}, Time: now, Value: value}
	}
	metrics.PushIfNotDone(w.mi.vu.Context(), state.Samples, metrics.ConnectedSamples{
		Samples: []metrics.Sample{
			sample(m.writes, 1),
			sample(m.messages, float64(len(messages)-failed)),
			sample(m.bytes, float64(size)),
			sample(m.errors, float64(failed)),
			sample(m.duration, metrics.D(elapsed)),
		},
		Tags: tags,
		Time: now,
	})
	if err != nil {
		common.Throw(rt, fmt.Errorf("produce: %d of %d message(s) failed: %w", failed, len(messages), err))
	}
}

// Close flushes and closes the writer shared by every VU with the same config (idempotent).
func (w *Writer) Close() {
	if err := w.shared.close(); err != nil {
		common.Throw(w.mi.vu.Runtime(), err)
	}
}

func parseMessages(rt *sobek.Runtime, arg sobek.Value) ([]kafkago.Message, int, error) {
	if arg == nil || sobek.IsUndefined(arg) || sobek.IsNull(arg) {
		return nil, 0, errors.New("produce: expected { messages: [...] }")
	}
	list := arg.ToObject(rt).Get("messages")
	if list == nil || sobek.IsUndefined(list) {
		return nil, 0, errors.New("produce: expected { messages: [...] }")
	}
	items, ok := list.Export().([]interface{})
	if !ok || len(items) == 0 {
		return nil, 0, errors.New("produce: 'messages' must be a non-empty array")
	}
	out := make([]kafkago.Message, 0, len(items))
	size := 0
	for i, item := range items {
		fields, ok := item.(map[string]interface{})
		if !ok {
			return nil, 0, fmt.Errorf("produce: messages[%d] must be an object", i)
		}
		value, err := toBytes(fields["value"])
		if err != nil {
			return nil, 0, fmt.Errorf("produce: messages[%d].value %w", i, err)
		}
		var key []byte
		if k, present := fields["key"]; present && k != nil {
			if key, err = toBytes(k); err != nil {
				return nil, 0, fmt.Errorf("produce: messages[%d].key %w", i, err)
			}
		}
		size += len(key) + len(value)
		out = append(out, kafkago.Message{Key: key, Value: value})
	}
	return out, size, nil
}

func toBytes(v interface{}) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return []byte(x), nil
	case []byte:
		return x, nil
	case sobek.ArrayBuffer:
		return x.Bytes(), nil
	default:
		return nil, fmt.Errorf("must be a string or ArrayBuffer, got %T", v)
	}
}
