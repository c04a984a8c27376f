/**
 * The one place that turns what a command returns into text on stdout: a table on a terminal,
 * tab-separated lines when piped, JSON or NDJSON on request.
 */
import { shellQuote } from './format.js';
import type { IO } from './io.js';

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
}

export function chooseFormat(flags: FormatFlags, io: IO, result?: Result): OutputFormat {
  if (flags.json) return 'json';
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

/** Prints a result; `color` is asked only for human output, as asking may load node:tty. */
export async function render(result: Result, format: OutputFormat, io: IO, color: () => boolean): Promise<void> {
  const out = (text: string) => io.stdout.write(text + '\n');
  const pretty = format === 'json' && io.stdoutIsTTY;
  switch (result.kind) {
    case 'text':
      out(format === 'json' || format === 'ndjson' ? stringify(result.json, pretty) : result.text);
      return;
    case 'record': {
      const entries = Object.entries(result.record);
      if (format === 'json' || format === 'ndjson') out(stringify(result.json ?? result.record, pretty));
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
      if (format === 'json') out(stringify(result.json ?? result.rows, pretty));
      else if (format === 'ndjson') for (const row of (result.json as unknown[] | undefined) ?? result.rows) out(stringify(row, false));
      else {
        const cells = result.rows.map((row) => result.columns.map((c) => c.value(row)));
        if (format === 'human') {
          if (cells.length > 0) out(await renderTable(result.columns.map((c) => c.header), cells, color()));
        } else for (const row of cells) out(row.map(tsvCell).join('\t'));
      }
      return;
    }
    case 'lines':
      for await (const item of result.items) {
        out(format === 'json' || format === 'ndjson' ? stringify(item.json, false) : item.text);
        if (io.stdout.closed) break;
      }
      return;
  }
}
