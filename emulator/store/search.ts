/**
 * The list API's `searchQuery` language: comparisons such as `size > "2mb"` or `tags IN ["a","b"]`,
 * combined with AND, OR and parentheses. Parsing gives a predicate; a syntax error names its position.
 */

export class SearchSyntaxError extends Error {}

type Value = string | number | boolean | Value[];

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | ':' | 'IN' | 'NOT IN' | 'HAS';

export type SearchNode =
  | { kind: 'and' | 'or'; left: SearchNode; right: SearchNode }
  | { kind: 'compare'; field: string; operator: Operator; value: Value };

interface Token {
  kind: 'word' | 'string' | 'number' | 'op' | 'punct' | 'end';
  text: string;
  position: number;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const position = i + 1;
    if (ch === '"' || ch === "'") {
      const end = query.indexOf(ch, i + 1);
      if (end < 0) throw new SearchSyntaxError(`unterminated string starting at position ${position}`);
      tokens.push({ kind: 'string', text: query.slice(i + 1, end), position });
      i = end + 1;
    } else if ('()[],'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, position });
      i++;
    } else if ('<>!=:'.includes(ch)) {
      const two = query.slice(i, i + 2);
      const op = ['<=', '>=', '!='].includes(two) ? two : ch;
      if (op === '!') throw new SearchSyntaxError(`unexpected "!" at position ${position}`);
      tokens.push({ kind: 'op', text: op, position });
      i += op.length;
    } else {
      const match = /^[A-Za-z0-9_.\-+]+/.exec(query.slice(i));
      if (!match) throw new SearchSyntaxError(`unexpected "${ch}" at position ${position}`);
      const text = match[0];
      tokens.push({ kind: /^-?\d+(\.\d+)?$/.test(text) ? 'number' : 'word', text, position });
      i += text.length;
    }
  }
  tokens.push({ kind: 'end', text: '', position: query.length + 1 });
  return tokens;
}

/** Parses a search query into a tree; throws SearchSyntaxError naming the position of the problem. */
export function parseSearchQuery(query: string): SearchNode {
  const tokens = tokenize(query);
  let at = 0;
  const peek = () => tokens[at]!;
  const next = () => tokens[at++]!;
  const isWord = (token: Token, word: string) => token.kind === 'word' && token.text.toUpperCase() === word;
  const fail = (token: Token, expected: string): never => {
    const found = token.kind === 'end' ? 'the end of the query' : `"${token.text}"`;
    throw new SearchSyntaxError(`expected ${expected} at position ${token.position}, found ${found}`);
  };

  function parseValue(): Value {
    const token = next();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'word') {
      if (isWord(token, 'TRUE')) return true;
      if (isWord(token, 'FALSE')) return false;
      return token.text; // unquoted values such as 7d or 2mb
    }
    if (token.kind === 'punct' && token.text === '[') {
      const list: Value[] = [];
      if (peek().text === ']') {
        next();
        return list;
      }
      for (;;) {
        list.push(parseValue());
        const separator = next();
        if (separator.text === ']') return list;
        if (separator.text !== ',') fail(separator, '"," or "]"');
      }
    }
    return fail(token, 'a value');
  }

  function parseComparison(): SearchNode {
    const fieldToken = next();
    if (fieldToken.kind !== 'word' && fieldToken.kind !== 'string') fail(fieldToken, 'a field name');
    const field = fieldToken.text;
    let operator: Operator;
    const token = next();
    if (token.kind === 'op') operator = token.text as Operator;
    else if (isWord(token, 'IN')) operator = 'IN';
    else if (isWord(token, 'HAS')) operator = 'HAS';
    else if (isWord(token, 'NOT')) {
      const after = next();
      if (isWord(after, 'IN')) operator = 'NOT IN';
      else if (after.kind === 'op' && after.text === '=') operator = '!=';
      else return fail(after, '"IN" or "=" after NOT');
    } else return fail(token, 'an operator (=, !=, <, <=, >, >=, :, IN, NOT IN, HAS)');
    const valueToken = peek();
    const value = parseValue();
    if ((operator === 'IN' || operator === 'NOT IN') && !Array.isArray(value)) fail(valueToken, `a [list] after ${operator}`);
    return { kind: 'compare', field, operator, value };
  }

  function parsePrimary(): SearchNode {
    if (peek().text === '(' && peek().kind === 'punct') {
      next();
      const inner = parseOr();
      const close = next();
      if (close.text !== ')') fail(close, '")"');
      return inner;
    }
    return parseComparison();
  }

  function parseAnd(): SearchNode {
    let node = parsePrimary();
    while (isWord(peek(), 'AND')) {
      next();
      node = { kind: 'and', left: node, right: parsePrimary() };
    }
    return node;
  }

  function parseOr(): SearchNode {
    let node = parseAnd();
    while (isWord(peek(), 'OR')) {
      next();
      node = { kind: 'or', left: node, right: parseAnd() };
    }
    return node;
  }

  const tree = parseOr();
  if (peek().kind !== 'end') fail(peek(), 'AND, OR or the end of the query');
  return tree;
}

/** Whether a search tree mentions a field anywhere. */
export function mentionsField(node: SearchNode, field: string): boolean {
  return node.kind === 'compare' ? node.field === field : mentionsField(node.left, field) || mentionsField(node.right, field);
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
const TIME_UNITS: Record<string, number> = { h: 3600e3, d: 86400e3, w: 7 * 86400e3, m: 30 * 86400e3, y: 365 * 86400e3 };

/** `"2mb"` in bytes; a plain number as it is. */
export function parseSize(value: Value): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(String(value).trim());
  if (!match) throw new SearchSyntaxError(`invalid size "${String(value)}"`);
  return Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]!;
}

/** `"7d"` as the time 7 days before now; an ISO date as that time (milliseconds). */
export function parseTime(value: Value, now: number): number {
  const text = String(value).trim();
  const relative = /^(\d+)\s*([hdwmy])$/i.exec(text);
  if (relative) return now - Number(relative[1]) * TIME_UNITS[relative[2]!.toLowerCase()]!;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new SearchSyntaxError(`invalid date "${text}": use an ISO date or a relative time such as 7d`);
  return time;
}

/** What a searched item offers to compare: each field's value (an array for tags). */
export type Searchable = (field: string) => unknown;

function compare(actual: unknown, operator: Operator, expected: Value, field: string, now: number): boolean {
  if (Array.isArray(actual)) {
    // Tags: IN and = match when any tag matches; NOT IN and != when none does.
    const values = actual.map(String);
    const wanted = (Array.isArray(expected) ? expected : [expected]).map(String);
    const any = wanted.some((w) => values.includes(w));
    if (operator === 'NOT IN' || operator === '!=') return !any;
    if (operator === 'IN' || operator === '=' || operator === 'HAS' || operator === ':') return any;
    throw new SearchSyntaxError(`operator ${operator} cannot be used with ${field}`);
  }
  if (operator === 'IN' || operator === 'NOT IN') {
    const found = (expected as Value[]).some((e) => compare(actual, '=', e, field, now));
    return operator === 'IN' ? found : !found;
  }
  if (actual === undefined || actual === null) return operator === '!=';
  let left: number | string | boolean;
  let right: number | string | boolean;
  if (field === 'size') [left, right] = [Number(actual), parseSize(expected)];
  else if (field === 'createdAt' || field === 'updatedAt') [left, right] = [Date.parse(String(actual)), parseTime(expected, now)];
  else if (typeof actual === 'number') [left, right] = [actual, Number(expected)];
  else if (typeof actual === 'boolean') [left, right] = [actual, expected === true || expected === 'true'];
  else [left, right] = [String(actual), String(expected)];
  if (field === 'format' || field === 'type') [left, right] = [String(left).toLowerCase(), String(right).toLowerCase()];
  switch (operator) {
    case '=':
    case 'HAS':
      return left === right;
    case '!=':
      return left !== right;
    case ':':
      return String(left).startsWith(String(right));
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
  return false;
}

/** Evaluates a parsed query against one item. */
export function matches(node: SearchNode, item: Searchable, now: number): boolean {
  if (node.kind === 'and') return matches(node.left, item, now) && matches(node.right, item, now);
  if (node.kind === 'or') return matches(node.left, item, now) || matches(node.right, item, now);
  if (node.kind !== 'compare') return false;
  return compare(item(node.field), node.operator, node.value, node.field, now);
}
