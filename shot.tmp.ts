import { inspectHtmlReport } from './reports/html-inspection.ts';
const [html, png] = process.argv.slice(2);
const seen = await inspectHtmlReport(html!, png!);
console.log(JSON.stringify({ consoleErrors: seen.consoleErrors, externalRequests: seen.externalRequests, charts: seen.charts.map((c) => ({ id: c.id, points: c.points })) }));
