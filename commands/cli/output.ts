/**
 * The one place that turns what a command returns into text on stdout: a table on a terminal,
 * tab-separated lines when piped, JSON or NDJSON on request.
 */
import { shellQuote } from './format.js';
import type { IO } from './io.js';
import { pickFields, runJq, type JsonSelection } from './json-selection.js';

export type OutputFormat = 'human' | 'plain' | 'json' | 'ndjson' | 'env';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
}

/** One string, such as a URL: printed alone with a newline; `json` is printed with --json. */
export interface TextResult {
  kind: 'text';
  text: string;
  json: unknown;
}

/** One object shown as key/value pairs. */
export interface RecordResult {
  kind: 'record';
  record: Record<string, string | number | boolean | null>;
  json?: unknown;
  /** What to print when stdout is not a terminal and no format was asked for; `plain` by default. */
  pipedFormat?: 'plain' | 'json';
  /** With --env: `export <envPrefix><KEY>=<value>` lines. */
  envPrefix?: string;
}

export interface TableResult<Row = any> {
  kind: 'table';
  columns: Column<Row>[];
  rows: Row[];
  json?: unknown;
}

/** Items printed one line each as they come, so long streams start printing at once. */
export interface LinesResult {
  kind: 'lines';
  items: AsyncIterable<{ text: string; json: unknown }>;
}

export type Result = (TextResult | RecordResult | TableResult | LinesResult) & {
  /** Asked after everything is printed: lets a stream end with a non-zero exit code. */
  exitCode?: () => number;
};

export interface FormatFlags {
  json?: boolean;
  ndjson?: boolean;
  env?: boolean;
  jq?: string;
}

export function chooseFormat(flags: FormatFlags, io: IO, result?: Result): OutputFormat {
  // A jq filter works on the JSON, so it asks for JSON.
  if (flags.json || flags.jq !== undefined) return 'json';
  if (flags.ndjson) return 'ndjson';
  if (flags.env) return 'env';
  // One string prints the same everywhere; not asking about the terminal saves loading node:tty.
  if (result?.kind === 'text' || result?.kind === 'lines') return 'plain';
  if (io.stdoutIsTTY) return 'human';
  return result?.kind === 'record' && result.pipedFormat === 'json' ? 'json' : 'plain';
}

const stringify = (value: unknown, pretty: boolean) => JSON.stringify(value, null, pretty ? 2 : undefined);

/** Tabs and newlines inside a value would break a TSV row. */
const tsvCell = (value: string) => value.replace(/[\t\n\r]/g, ' ');

/** A cell cut to `width` characters in the middle, so that both ends of a path or URL stay readable. */
export function truncateMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, width);
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}

/** Narrowest a column is cut to: a few characters on each side of the ellipsis. */
const MIN_COLUMN = 8;

/**
 * Cuts the widest columns, as little as needed, so that the table with its borders (three characters
 * a column, and one) fits `width` terminal columns. Full values stay in --json and piped output.
 */
export function fitToWidth(headers: string[], rows: string[][], width: number): { headers: string[]; rows: string[][] } {
  const natural = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const available = width - (3 * headers.length + 1);
  if (width <= 0 || natural.reduce((a, b) => a + b, 0) <= available) return { headers, rows };
  // The largest cap c with sum(min(natural, c)) within the space: only columns wider than c are cut.
  let low = MIN_COLUMN;
  let high = Math.max(...natural);
  while (low < high) {
    const cap = Math.ceil((low + high) / 2);
    if (natural.reduce((sum, w) => sum + Math.min(w, cap), 0) <= available) low = cap;
    else high = cap - 1;
  }
  const cut = (text: string, i: number) => truncateMiddle(text, Math.min(natural[i]!, low));
  return { headers: headers.map(cut), rows: rows.map((r) => r.map(cut)) };
}

async function renderTable(headers: string[], rows: string[][], color: boolean): Promise<string> {
  const { default: Table } = await import('cli-table3');
  let head = headers;
  if (color) {
    const { Chalk } = await import('chalk');
    const chalk = new Chalk({ level: 1 });
    head = headers.map((h) => chalk.bold(h));
  }
  // An empty style keeps cli-table3 from adding its own colour codes; no lines between rows.
  const table = new Table({
    head,
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  table.push(...rows);
  return table.toString();
}

/**
 * Prints a result; `color` is asked only for human output, as asking may load node:tty. `selection`
 * narrows JSON to some fields, or filters it through jq.
 */
export async function render(result: Result, format: OutputFormat, io: IO, color: () => boolean, selection: JsonSelection = {}): Promise<void> {
  const out = (text: string) => io.stdout.write(text + '\n');
  const pretty = format === 'json' && io.stdoutIsTTY;
  const outJson = async (value: unknown, indent: boolean) => {
    const selected = selection.fields ? pickFields(value, selection.fields) : value;
    const text = selection.jq === undefined ? stringify(selected, indent) : await runJq(selected, selection.jq, io);
    if (text !== '' || selection.jq === undefined) out(text);
  };
  switch (result.kind) {
    case 'text':
      if (format === 'json' || format === 'ndjson') await outJson(result.json, pretty);
      else out(result.text);
      return;
    case 'record': {
      const entries = Object.entries(result.record);
      if (format === 'json' || format === 'ndjson') await outJson(result.json ?? result.record, pretty);
      else if (format === 'env') {
        const prefix = result.envPrefix ?? '';
        for (const [key, value] of entries) out(`export ${prefix}${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}=${shellQuote(String(value ?? ''))}`);
      } else if (format === 'human') {
        const width = Math.max(...entries.map(([key]) => key.length));
        const bold = color() ? (text: string) => `\x1b[1m${text}\x1b[22m` : (text: string) => text;
        for (const [key, value] of entries) out(`${bold(key.padEnd(width))}  ${String(value ?? '')}`);
      } else for (const [key, value] of entries) out(`${key}\t${tsvCell(String(value ?? ''))}`);
      return;
    }
    case 'table': {
      if (format === 'json') await outJson(result.json ?? result.rows, pretty);
      else if (format === 'ndjson') for (const row of (result.json as unknown[] | undefined) ?? result.rows) await outJson(row, false);
      else {
        const cells = result.rows.map((row) => result.columns.map((c) => c.value(row)));
        if (format === 'human') {
          const fitted = fitToWidth(result.columns.map((c) => c.header), cells, io.stdoutColumns);
          if (cells.length > 0) out(await renderTable(fitted.headers, fitted.rows, color()));
        } else for (const row of cells) out(row.map(tsvCell).join('\t'));
      }
      return;
    }
    case 'lines':
      for await (const item of result.items) {
        if (format === 'json' || format === 'ndjson') await outJson(item.json, false);
        else out(item.text);
        if (io.stdout.closed) break;
      }
      return;
  }
}
