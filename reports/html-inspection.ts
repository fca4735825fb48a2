/**
 * Opens a report.html in headless Chromium as a person would, and says what is there: the
 * console errors, any request that left the file (a self-contained page makes none), each
 * chart with its drawn paths, fault windows and labels, each checker's shown state and text;
 * and saves a full-page screenshot.
 */
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../harness/tools/chromium.ts';
import { FAULT_RGB } from './charts.ts';

export interface ChartInspection {
  id: string;
  /** data-points of the figure: values the chart was given. */
  points: number;
  /** SVG <path> elements drawn (axes, lines, areas). */
  paths: number;
  /** Shaded fault windows drawn. */
  faultAreas: number;
  /** Every text the chart shows (titles, legends, fault and phase labels). */
  texts: string[];
  /** Size on the page, CSS pixels. */
  width: number;
  height: number;
}

export interface CheckInspection {
  checker: string;
  /** data-valid: pass, fail, unknown or skipped. */
  state: string;
  /** The badge as shown (e.g. `⊘ skipped`). */
  badge: string;
  /** The check's visible text. */
  text: string;
  /** Its badge's computed colour (rgb(...)). */
  badgeColour: string;
  visible: boolean;
}

/** One scenario row of a suite's index.html. */
export interface ScenarioRowInspection {
  scenario: string;
  /** data-verdict of the row. */
  verdict: string;
  text: string;
  /** Every link's href, as written (relative to the page). */
  links: string[];
  visible: boolean;
}

export interface HtmlInspection {
  title: string;
  verdict: string | null;
  consoleErrors: string[];
  /** Requests to anything but the file itself (blocked). */
  externalRequests: string[];
  charts: ChartInspection[];
  checks: CheckInspection[];
  /** A suite's index.html: its scenario rows (none in a scenario's report). */
  scenarios: ScenarioRowInspection[];
  screenshot: string;
}

export async function inspectHtmlReport(htmlPath: string, screenshotPath: string): Promise<HtmlInspection> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const consoleErrors: string[] = [];
    const externalRequests: string[] = [];
    const url = pathToFileURL(htmlPath).href;
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      externalRequests.push(route.request().url());
      return route.abort();
    });
    await page.goto(url, { waitUntil: 'load' });
    const charts = await page.$$eval('figure.chart', (figures, faultRgb) => figures.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        id: f.getAttribute('data-chart') ?? '',
        points: Number(f.getAttribute('data-points') ?? 0),
        paths: svg ? svg.querySelectorAll('path').length : 0,
        faultAreas: svg ? svg.querySelectorAll(`[fill="${faultRgb}"]`).length : 0,
        texts: svg ? [...svg.querySelectorAll('text')].map((t) => t.textContent ?? '') : [],
        width: box?.width ?? 0,
        height: box?.height ?? 0,
      };
    }), FAULT_RGB);
    const checks = await page.$$eval('.check', (items) => items.map((el) => {
      const badge = el.querySelector('strong + span');
      const box = el.getBoundingClientRect();
      return {
        checker: el.getAttribute('data-checker') ?? '',
        state: el.getAttribute('data-valid') ?? '',
        badge: badge?.textContent ?? '',
        text: (el as unknown as { innerText: string }).innerText,
        // No DOM lib in this project's tsconfig: the page's own getComputedStyle, typed by hand.
        badgeColour: badge ? (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(badge).color : '',
        visible: box.width > 0 && box.height > 0,
      };
    }));
    const scenarios = await page.$$eval('tr.scenario', (rows) => rows.map((el) => {
      const box = el.getBoundingClientRect();
      return {
        scenario: el.getAttribute('data-scenario') ?? '',
        verdict: el.getAttribute('data-verdict') ?? '',
        text: (el as unknown as { innerText: string }).innerText,
        links: [...el.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? ''),
        visible: box.width > 0 && box.height > 0,
      };
    }));
    const verdict = await page.getAttribute('#verdict', 'data-verdict');
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { title: await page.title(), verdict, consoleErrors, externalRequests, charts, checks, scenarios, screenshot: screenshotPath };
  } finally {
    await browser.close();
  }
}
