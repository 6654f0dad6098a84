/**
 * HTML built only through `html`: every interpolated value is escaped by `escapeHtml` unless it
 * is itself `Html` built the same way. No other function produces markup from text, so a value
 * from a repository, a record or a person's name can never become markup.
 */
const htmlBrand: unique symbol = Symbol('html');

export interface Html {
  readonly [htmlBrand]: true;
  readonly text: string;
}

export type Interpolation = Html | string | number | boolean | undefined | null | readonly Interpolation[];

const escapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** The one escaping function: text (and attribute values, always quoted) made inert. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => escapes[char] as string);
}

function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && htmlBrand in value;
}

function render(value: Interpolation): string {
  if (value === undefined || value === null || value === false || value === true) return '';
  if (isHtml(value)) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return escapeHtml(String(value));
}

function brand(text: string): Html {
  return { [htmlBrand]: true, text };
}

/** Tagged template: the literal parts are markup, every value is escaped (arrays concatenated). */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? '';
  for (let index = 0; index < values.length; index += 1) {
    out += render(values[index] as Interpolation) + (strings[index + 1] ?? '');
  }
  return brand(out);
}

/** Joins fragments (escaping any text among them). */
export function join(parts: readonly Interpolation[], separator: Html = html``): Html {
  return brand(parts.map(render).join(separator.text));
}

/** A number with at most `digits` decimals, for SVG coordinates. */
export function coordinate(value: number, digits = 1): string {
  return Number.isFinite(value) ? String(Number(value.toFixed(digits))) : '0';
}
