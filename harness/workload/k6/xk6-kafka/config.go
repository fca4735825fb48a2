package kafka

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/grafana/sobek"
)

// writerConfig is what `new Writer({...})` accepts. Unknown keys are rejected so a typo
// fails the test at init instead of silently using a default.
type writerConfig struct {
	Brokers []string
	Topic   string
	// murmur2 (default: the Java client's default partitioner, as the generators assume) or round_robin.
	Balancer string
	// -1 = all in-sync replicas (default), 1 = leader, 0 = none.
	RequiredAcks int
	// How long a partial batch waits for more messages; small, because produce() is synchronous.
	BatchTimeoutMs int
	BatchSize      int
	// kafka-go retries a failed batch; a retry after a lost ack can duplicate (see docs/k6.md).
	MaxAttempts    int
	WriteTimeoutMs int
}

func (c writerConfig) key() string {
	return fmt.Sprintf("%s|%s|%s|%d|%d|%d|%d|%d", strings.Join(c.Brokers, ","), c.Topic, c.Balancer,
		c.RequiredAcks, c.BatchTimeoutMs, c.BatchSize, c.MaxAttempts, c.WriteTimeoutMs)
}

var knownKeys = []string{"brokers", "topic", "balancer", "requiredAcks", "batchTimeoutMs", "batchSize", "maxAttempts", "writeTimeoutMs"}

func parseWriterConfig(rt *sobek.Runtime, value sobek.Value) (writerConfig, error) {
	config := writerConfig{Balancer: "murmur2", RequiredAcks: -1, BatchTimeoutMs: 5, BatchSize: 1000, MaxAttempts: 3, WriteTimeoutMs: 10_000}
	if value == nil || sobek.IsUndefined(value) || sobek.IsNull(value) {
		return config, errors.New("Writer: a config object is required")
	}
	raw, ok := value.ToObject(rt).Export().(map[string]interface{})
	if !ok {
		return config, errors.New("Writer: the config must be an object")
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := config.set(k, raw[k]); err != nil {
			return config, fmt.Errorf("Writer: '%s' %w", k, err)
		}
	}
	if len(config.Brokers) == 0 || config.Topic == "" {
		return config, errors.New("Writer: 'brokers' (non-empty array) and 'topic' are required")
	}
	if config.Balancer != "murmur2" && config.Balancer != "round_robin" {
		return config, fmt.Errorf("Writer: 'balancer' must be murmur2 or round_robin, got %q", config.Balancer)
	}
	if config.RequiredAcks != -1 && config.RequiredAcks != 0 && config.RequiredAcks != 1 {
		return config, fmt.Errorf("Writer: 'requiredAcks' must be -1, 0 or 1, got %d", config.RequiredAcks)
	}
	return config, nil
}

func (c *writerConfig) set(key string, v interface{}) error {
	var err error
	switch key {
	case "brokers":
		c.Brokers, err = stringList(v)
	case "topic":
		c.Topic, err = str(v)
	case "balancer":
		c.Balancer, err = str(v)
	case "requiredAcks":
		c.RequiredAcks, err = integer(v, -1)
	case "batchTimeoutMs":
		c.BatchTimeoutMs, err = integer(v, 0)
	case "batchSize":
		c.BatchSize, err = integer(v, 1)
	case "maxAttempts":
		c.MaxAttempts, err = integer(v, 1)
	case "writeTimeoutMs":
		c.WriteTimeoutMs, err = integer(v, 1)
	default:
		return fmt.Errorf("is not an option (known: %s)", strings.Join(knownKeys, ", "))
	}
	return err
}

func str(v interface{}) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("must be a string, got %T", v)
	}
	return s, nil
}

func stringList(v interface{}) ([]string, error) {
	items, ok := v.([]interface{})
	if !ok {
		return nil, fmt.Errorf("must be an array of strings, got %T", v)
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		s, ok := item.(string)
		if !ok || s == "" {
			return nil, errors.New("must be an array of non-empty strings")
		}
		out = append(out, s)
	}
	return out, nil
}

func integer(v interface{}, minimum int) (int, error) {
	var n int
	switch x := v.(type) {
	case int64:
		n = int(x)
	case float64:
		if x != float64(int(x)) {
			return 0, fmt.Errorf("must be a whole number, got %v", x)
		}
		n = int(x)
	default:
		return 0, fmt.Errorf("must be a number, got %T", v)
	}
	if n < minimum {
		return 0, fmt.Errorf("must be >= %d, got %d", minimum, n)
	}
	return n, nil
}
