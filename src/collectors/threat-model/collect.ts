import { type RepositorySnapshot, readRepositoryFile } from '../../kernel/index.js';

/**
 * Threat models kept in the repository: documents (`docs/threat-model.md`, `THREAT_MODEL.md`),
 * OWASP Threat Dragon models, Threagile YAML, pytm scripts and Microsoft TMT files.
 */
export const threatModelNamePattern =
  /(^|\/)(threat[-_ ]?model(ling|ing|s)?[^/]*\.(md|markdown|adoc|rst|txt|pdf|json|ya?ml|tm7|py)|threagile[^/]*\.ya?ml|[^/]*\.threat-?dragon\.json|[^/]*\.tm7)$/i;

export interface ThreatModelFile {
  path: string;
  format: 'document' | 'threat-dragon' | 'threagile' | 'pytm' | 'tmt' | 'other';
  /** For text formats: it names threats and their mitigations (not an empty template). */
  substantive: boolean;
  /** Why it is not substantive, when it is not. */
  note?: string;
}

export interface ThreatModelFacts {
  files: ThreatModelFile[];
}

const maxBytes = 512 * 1024;
/** A threat model shorter than this is a stub, whatever it says. */
const minimumCharacters = 300;

export async function collectThreatModel(repository: RepositorySnapshot): Promise<ThreatModelFacts> {
  const paths = repository
    .filter(
      (path) =>
        threatModelNamePattern.test(path) &&
        !/(^|\/)(node_modules|vendor|test|tests|__fixtures__|fixtures)\//.test(path),
    )
    .slice(0, 50);
  const files: ThreatModelFile[] = [];
  for (const path of paths) {
    const format = formatOf(path);
    if (format === 'tmt' || path.toLowerCase().endsWith('.pdf')) {
      files.push({ path, format, ...(await judgeBinaryModel(repository.root, path)) });
      continue;
    }
    const file = await repository.readText(path, maxBytes);
    if (!file) {
      files.push({ path, format, substantive: false, note: 'could not be read as text' });
      continue;
    }
    files.push({ path, format, ...judgeContent(format, file.text) });
  }
  return { files };
}

/**
 * A PDF or a Threat Modeling Tool file is not read as text, but a name alone is not a threat
 * model: the file must be read (inside the repository, a regular file), hold more than a stub,
 * and a PDF must begin as one.
 */
async function judgeBinaryModel(root: string, path: string): Promise<{ substantive: boolean; note: string }> {
  const read = await readRepositoryFile(root, path, { maxBytes: 1024 });
  if (!read.ok) return { substantive: false, note: `could not be read: ${read.reason}` };
  if (read.size < minimumCharacters) return { substantive: false, note: `only ${read.size} bytes: a stub` };
  if (path.toLowerCase().endsWith('.pdf') && !read.bytes.toString('latin1').includes('%PDF-')) {
    return { substantive: false, note: 'not a PDF' };
  }
  return { substantive: true, note: 'binary model: its content is not read' };
}

function formatOf(path: string): ThreatModelFile['format'] {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tm7')) return 'tmt';
  if (/threagile[^/]*\.ya?ml$/.test(lower)) return 'threagile';
  if (lower.endsWith('.json')) return 'threat-dragon';
  if (lower.endsWith('.py')) return 'pytm';
  if (/\.(md|markdown|adoc|rst|txt)$/.test(lower)) return 'document';
  return 'other';
}

/** Does the text name threats and what mitigates them, beyond a template's headings? */
export function judgeContent(
  format: ThreatModelFile['format'],
  text: string,
): { substantive: boolean; note?: string } {
  if (format === 'threat-dragon') {
    const ok = /"threats"\s*:\s*\[\s*\{/.test(text);
    return ok
      ? { substantive: true }
      : { substantive: false, note: 'the Threat Dragon model lists no threat' };
  }
  if (format === 'threagile') {
    const ok = /^\s*(technical_assets|risk_tracking)\s*:/m.test(text);
    return ok
      ? { substantive: true }
      : { substantive: false, note: 'the Threagile model names no technical asset' };
  }
  if (format === 'pytm') {
    const ok = /\bfrom\s+pytm\s+import\b|\bimport\s+pytm\b/.test(text) && /\bDataflow\s*\(/.test(text);
    return ok ? { substantive: true } : { substantive: false, note: 'the pytm script defines no data flow' };
  }
  const words = text.replace(/\s+/g, ' ').trim();
  if (words.length < minimumCharacters) {
    return { substantive: false, note: `only ${words.length} characters: a stub` };
  }
  if (
    !/\bthreats?\b|\battacks?\b|\battacker\b/i.test(words) ||
    !/\bmitigat|\bcountermeasure|\bcontrols?\b|\bdefen[cs]e/i.test(words)
  ) {
    return { substantive: false, note: 'names no threats with mitigations' };
  }
  return { substantive: true };
}
