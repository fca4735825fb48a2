// Package kafka is streamproof's own small k6 extension: a Kafka producer for k6 scripts,
// imported as `k6/x/streamproof-kafka`. It exists because xk6-kafka cannot be fetched from
// the Go module proxy this project builds with (see docs/k6.md); it keeps xk6-kafka's
// Writer shape and metric names so a script can move to xk6-kafka by changing one import.
package kafka

import (
	"sync"

	"github.com/grafana/sobek"
	"go.k6.io/k6/js/common"
	"go.k6.io/k6/js/modules"
	"go.k6.io/k6/metrics"
)

func init() {
	modules.Register("k6/x/streamproof-kafka", &rootModule{writers: map[string]*sharedWriter{}})
}

// rootModule is created once per k6 process. It owns the Kafka writers, shared by every VU
// that asks for the same configuration, so concurrent produce() calls from many VUs land in
// the same batches instead of each VU waiting for its own batch timeout.
type rootModule struct {
	mu      sync.Mutex
	writers map[string]*sharedWriter
}

type writerMetrics struct {
	messages, bytes, errors, writes, duration *metrics.Metric
}

type moduleInstance struct {
	vu      modules.VU
	root    *rootModule
	metrics writerMetrics
}

func (r *rootModule) NewModuleInstance(vu modules.VU) modules.Instance {
	registry := vu.InitEnv().Registry
	// Same names and meanings as xk6-kafka's writer metrics, so thresholds carry over.
	m := writerMetrics{
		messages: registry.MustNewMetric("kafka_writer_message_count", metrics.Counter),
		bytes:    registry.MustNewMetric("kafka_writer_message_bytes", metrics.Counter, metrics.Data),
		errors:   registry.MustNewMetric("kafka_writer_error_count", metrics.Counter),
		writes:   registry.MustNewMetric("kafka_writer_write_count", metrics.Counter),
		duration: registry.MustNewMetric("kafka_writer_produce_duration", metrics.Trend, metrics.Time),
	}
	return &moduleInstance{vu: vu, root: r, metrics: m}
}

func (mi *moduleInstance) Exports() modules.Exports {
	return modules.Exports{Named: map[string]interface{}{"Writer": mi.newWriter}}
}

// newWriter is the JS constructor `new Writer({ brokers, topic, ... })`.
func (mi *moduleInstance) newWriter(call sobek.ConstructorCall) *sobek.Object {
	rt := mi.vu.Runtime()
	config, err := parseWriterConfig(rt, call.Argument(0))
	if err != nil {
		common.Throw(rt, err)
	}
	shared := mi.root.writerFor(config)
	return rt.ToValue(&Writer{mi: mi, shared: shared}).ToObject(rt)
}

func (r *rootModule) writerFor(config writerConfig) *sharedWriter {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := config.key()
	if w, ok := r.writers[key]; ok {
		return w
	}
	w := newSharedWriter(config)
	r.writers[key] = w
	return w
}
