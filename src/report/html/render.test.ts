import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { areas } from '../../catalog/index.js';
import { hostileAssessment, hostilePath, sampleAssessment } from '../../testing/sample-assessment.js';
import { contentSecurityPolicy, escapeHtml, renderHtml } from './render.js';

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from + start.length);
  if (from < 0 || to < 0) throw new Error(`no ${start}…${end}`);
  return text.slice(from + start.length, to);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

describe('html report', () => {
  const html = renderHtml(sampleAssessment());

  it('is one document with a summary, a chart and a table of controls', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain(
      '<strong>19 controls: 5 pass, 5 fail, 3 partial, 4 unknown, 2 not applicable</strong>',
    );
    expect(html.match(/<tr data-control="/g)).toHaveLength(19);
    expect(html).toContain('<tr data-control="SEC-01" class="status-row-fail">');
    expect(html).toContain('<code>config/settings.py:42:17</code>');
    expect(html).toContain('Accepted until 2027-01-31 by alice@example.com (approved by cto@example.com)');
    expect(html).toContain('<strong>To provide:</strong> Attest SCM-01');
    expect(html).toContain('<code>FILE_UNREADABLE</code> <code>deploy/secrets.enc.yaml</code>');
  });

  it('names the audit period and the level of evidence behind each control', () => {
    expect(html).toContain(
      '<p class="period">Audit period 2025-06-02..2026-06-01 (default: the last 12 months)</p>',
    );
    expect(html).toContain('<div class="level">Evidence declared (needs signed)</div>');
    expect(html).toContain('<div class="level">Evidence verified</div>');
  });

  it('draws a stacked bar per area in catalog order, on one scale', () => {
    const svg = between(html, '<svg', '</svg>');
    const labels = [...svg.matchAll(/<text x="0" y="\d+">([^<]+)<\/text>/g)].map((match) => match[1]);
    // Every area, in the catalog's reading order.
    expect(labels).toEqual([...areas]);
    // Three controls is the largest area: 120 units each on a 360-unit bar.
    expect(svg).toContain('width="240" height="16" fill="#c62828"><title>supply-chain: 2 fail</title>');
    expect(svg).toContain('width="120" height="16" fill="#2e7d32"><title>supply-chain: 1 pass</title>');
  });

  it('loads nothing: no external URL in any src, href or url(), and a CSP that forbids loads', () => {
    expect(html).not.toMatch(/\b(?:src|href)\s*=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">`);
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    expect(contentSecurityPolicy).toContain("img-src 'none'");
    expect(contentSecurityPolicy).not.toContain('unsafe-inline');
    // The CSP comes before the style and the script it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it('allows exactly its own inline style and script, by hash', () => {
    const style = between(html, '<style>', '</style>');
    const script = between(html, '<script>', '</script>');
    expect(contentSecurityPolicy).toContain(`style-src 'sha256-${sha256(style)}'`);
    expect(contentSecurityPolicy).toContain(`script-src 'sha256-${sha256(script)}'`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
  });

  it('filters by status with CSS alone: a checkbox per status before the table', () => {
    const controls = html.slice(html.indexOf('<h2 id="controls-heading">'));
    for (const status of ['fail', 'partial', 'unknown', 'pass', 'not-applicable']) {
      expect(
        controls.indexOf(`<input class="filter" type="checkbox" id="show-${status}" checked>`),
      ).toBeLessThan(controls.indexOf('<table class="controls">'));
      expect(html).toContain(
        `#show-${status}:not(:checked) ~ table .status-row-${status} { display: none; }`,
      );
    }
    // Print shows every row, whatever was filtered on screen.
    expect(between(html, '@media print {', '\n}')).toContain(
      'tr[data-control] { display: table-row !important; }',
    );
  });
});

describe('hostile strings in html', () => {
  const html = renderHtml(hostileAssessment());

  it('escapes a path that is an HTML payload', () => {
    expect(html).not.toContain(hostilePath);
    expect(html).not.toContain('<img');
    expect(html).toContain('<code>&lt;img src=x onerror=alert(1)&gt;.md:7:2</code>');
  });

  it('escapes titles, messages and remediations, in text and attributes', () => {
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).toContain('Title with &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; | pipe');
    expect(html).toContain('&amp; &lt;b&gt;not bold&lt;/b&gt;');
    expect(html).toContain('<title>shipguard assessment: repo &quot;&lt;b&gt;x&lt;/b&gt;&quot;');
    expect(html).not.toContain(String.fromCharCode(27));
  });

  it('escapes the five HTML special characters and control characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>${String.fromCharCode(27)}\n`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;\u{fffd}\n',
    );
  });
});
