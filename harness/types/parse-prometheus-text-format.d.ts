/** Types of parse-prometheus-text-format 1.1.1 (it ships none): prom2json-compatible metric families. */
declare module 'parse-prometheus-text-format' {
  export interface PromSample {
    labels?: Record<string, string>;
    /** Counter, gauge, untyped: the value as written ('1027', '+Inf', 'NaN'). */
    value?: string;
    /** Histogram: upper bound → cumulative count. */
    buckets?: Record<string, string>;
    /** Summary: quantile → value. */
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  export interface PromFamily {
    name: string;
    help: string;
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    metrics: PromSample[];
  }
  export default function parsePrometheusTextFormat(text: string): PromFamily[];
}
