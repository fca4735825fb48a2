import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPORT_SCHEMA_VERSION, type ReportDocument } from './report-document.ts';
import { buildReportDocument } from './report-json.ts';
import { loadRunData } from './run-data.ts';

/** The run's report.json, rebuilt from the run dir when it is missing or of another version. */
export async function reportDocument(runDir: string): Promise<ReportDocument> {
  const path = join(runDir, 'report.json');
  if (existsSync(path)) {
    const doc = JSON.parse(await readFile(path, 'utf8')) as ReportDocument;
    if (doc.schemaVersion === REPORT_SCHEMA_VERSION) return doc;
  }
  return buildReportDocument(await loadRunData(runDir));
}
