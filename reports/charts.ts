/**
 * Charts as inline SVG, rendered by Apache ECharts on the server (no browser, no network):
 * throughput, latency percentiles and consumer lag over time, with fault windows shaded and
 * labelled and phase starts marked.
 */
import * as echarts from 'echarts';
import type { ReportFault, ReportPhase } from './report-document.ts';
import type { TimeSeries } from './time-series.ts';

export interface ChartSvg {
  id: string;
  title: string;
  svg: string;
  points: number;
  faultWindows: number;
}

const WIDTH = 900;
const HEIGHT = 300;
/** Fault windows' fill; ECharts writes it as fill="rgb(220,38,38)" fill-opacity="0.14". */
export const FAULT_RGB = 'rgb(220,38,38)';
const FAULT_FILL = 'rgba(220, 38, 38, 0.14)';
let charts = 0;

type Line = { name: string; data: [number, number][] };

function faultAreas(faults: readonly ReportFault[], endS: number) {
  return faults.map((f) => {
    const start = f.offsetMs / 1000;
    const end = f.healOffsetMs === null ? endS : Math.max(f.healOffsetMs / 1000, start + 0.5);
    return [{ name: `${f.type} ${f.target}`, xAxis: start }, { xAxis: end }];
  });
}

/** Renders one line chart; fault windows and phase starts ride on the first series. */
function lineChart(id: string, title: string, unit: string, lines: Line[], phases: readonly ReportPhase[], faults: readonly ReportFault[], endS: number): ChartSvg {
  const points = lines.reduce((n, l) => n + l.data.length, 0);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  chart.setOption({
    animation: false,
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    grid: { left: 70, right: 30, top: 50, bottom: 60 },
    xAxis: { type: 'value', name: 's', min: 0, max: Math.ceil(endS) },
    yAxis: { type: 'value', name: unit },
    series: lines.map((l, i) => ({
      name: l.name,
      type: 'line',
      showSymbol: l.data.length < 3,
      data: l.data,
      ...(i === 0
        ? {
            markArea: { silent: true, itemStyle: { color: FAULT_FILL }, label: { show: true, position: 'insideTop', color: '#991b1b', fontSize: 11 }, data: faultAreas(faults, endS) },
            markLine: {
              silent: true, symbol: 'none', lineStyle: { color: '#9ca3af', type: 'dashed' },
              label: { formatter: '{b}', position: 'insideEndTop', color: '#6b7280', fontSize: 10 },
              // The first phase starts at 0, on the axis: its line would only hide the axis labels.
              data: phases.filter((p) => p.offsetMs > 0).map((p) => ({ name: p.name, xAxis: p.offsetMs / 1000 })),
            },
          }
        : {}),
    })),
  });
  // Each chart gets its own class prefix: ECharts names them zr0-cls-N in every SVG.
  const prefix = `zr${++charts}x-`;
  const svg = chart.renderToSVGString().replaceAll('zr0-', prefix);
  chart.dispose();
  return { id, title, svg, points, faultWindows: faults.length };
}

export function timeCharts(series: TimeSeries, phases: readonly ReportPhase[], faults: readonly ReportFault[]): ChartSvg[] {
  // One time axis for all charts, so they line up one under the other.
  const ts = [...series.throughput.map((p) => p.t), ...series.latency.map((p) => p.t), ...series.lag.map((p) => p.t)];
  const endS = Math.max(1, ...ts, ...phases.map((p) => (p.offsetMs + (p.durationMs ?? 0)) / 1000));
  const per = series.bucketMs === 1000 ? 'per second' : `per second, ${series.bucketMs / 1000} s buckets`;
  return [
    lineChart('throughput', `Throughput (records ${per})`, 'records/s', [
      { name: 'outputs/s', data: series.throughput.map((p) => [p.t, round(p.outputs)]) },
      { name: 'sends/s', data: series.throughput.map((p) => [p.t, round(p.sends)]) },
    ], phases, faults, endS),
    lineChart('latency', 'End-to-end latency percentiles (by time the output became visible)', 'ms', [
      { name: 'p99', data: series.latency.map((p) => [p.t, round(p.p99)]) },
      { name: 'p95', data: series.latency.map((p) => [p.t, round(p.p95)]) },
      { name: 'p50', data: series.latency.map((p) => [p.t, round(p.p50)]) },
    ], phases, faults, endS),
    lineChart('lag', 'Consumer lag (records behind, summed over input partitions)', 'records', [
      { name: 'lag', data: series.lag.map((p) => [p.t, p.lag]) },
    ], phases, faults, endS),
  ];
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Bars, e.g. diff class counts or baseline vs candidate of a comparison. */
export function barChart(id: string, title: string, categories: string[], bars: { name: string; values: number[] }[]): ChartSvg {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH / 2, height: HEIGHT });
  chart.setOption({
    animation: false,
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    grid: { left: 70, right: 20, top: 50, bottom: 60 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value' },
    series: bars.map((b) => ({ name: b.name, type: 'bar', data: b.values, label: { show: true, position: 'top' } })),
  });
  const prefix = `zr${++charts}x-`;
  const svg = chart.renderToSVGString().replaceAll('zr0-', prefix);
  chart.dispose();
  return { id, title, svg, points: bars.reduce((n, b) => n + b.values.length, 0), faultWindows: 0 };
}
