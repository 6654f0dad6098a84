import { commandLines } from '../evidence.js';
import type { YamlEntry } from '../yaml.js';
import { findingOfRule, type PipelineRule, type RuleFinding } from './types.js';

const pipeToShell =
  /\b(curl|wget)\b[^|;&]{0,1000}\|\s*(sudo\s+(-[A-Za-z]+\s+)*)?(ba|z|da|k|fi)?sh\b|\b(ba)?sh\s+(-c\s+)?["']?\$\(\s*(curl|wget)\b|\b(ba)?sh\s+<\(\s*(curl|wget)\b/;

export const curlPipeShell: PipelineRule = {
  id: 'pipelines/curl-pipe-shell',
  title: 'A script downloads code and runs it without verification',
  severity: 'medium',
  group: 'no-dangerous-patterns',
  remediation:
    'Download to a file, verify its checksum or signature against a pinned value, then run it; better, use a pinned package or action.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const pipeline of set.pipelines) {
      for (const job of pipeline.jobs) {
        for (const command of job.commands) {
          for (const line of commandLines(command)) {
            if (line.text.length > 4000 || !pipeToShell.test(line.text)) continue;
            findings.push(
              findingOfRule(
                this,
                `job ${job.id} pipes a download straight into a shell.`,
                line.position,
                `${job.id}\0${line.text.slice(0, 200)}`,
              ),
            );
          }
        }
      }
    }
    return findings;
  },
};

const credentialKey =
  /(pass(word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)/i;
const notACredentialKey =
  /(_url|_uri|_host|_file|_path|_name|_user(name)?|_id|_endpoint|_header|_type|_ttl|_expir\w*)$/i;
const knownTokenFormats =
  /^(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,}|glpat-[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{20,}|npm_[A-Za-z0-9]{36}|-----BEGIN [A-Z ]*PRIVATE KEY-----)/;

/** A literal that looks like a credential: a known token format, or a mixed value under a credential-like name. */
export function looksLikeCredential(key: string, value: string): boolean {
  const trimmed = value.trim();
  if (knownTokenFormats.test(trimmed)) return true;
  if (!credentialKey.test(key) || notACredentialKey.test(key)) return false;
  if (trimmed.length < 8 || trimmed.length > 512 || /\s/.test(trimmed)) return false;
  // References, not values: expressions, variables, vault paths.
  if (/\$\{\{|\$[A-Za-z_{(]|^\{\{|^<.*>$|^vault:|^arn:|^https?:\/\//.test(trimmed)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) =>
    pattern.test(trimmed),
  ).length;
  return classes >= 3 || (classes >= 2 && trimmed.length >= 20);
}

export const hardcodedCredential: PipelineRule = {
  id: 'pipelines/hardcoded-credential',
  title: 'A credential is written into the pipeline',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    'Move the value to the CI system’s secret store (`${{ secrets.NAME }}`, protected masked variables), rotate it, and remove it from history.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const pipeline of set.pipelines) {
      for (const job of pipeline.jobs) {
        for (const variable of job.env) report(variable, job.id);
      }
    }
    function report(variable: YamlEntry, jobId: string): void {
      if (variable.value.kind !== 'scalar' || variable.value.isNull) return;
      if (!looksLikeCredential(variable.key, variable.value.text)) return;
      const key = `${variable.keyPosition.path}:${variable.keyPosition.line}:${variable.keyPosition.column}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push(
        findingOfRule(
          hardcodedCredential,
          `${variable.key} (used by job ${jobId}) is set to a literal that looks like a credential.`,
          variable.value.position,
          `${variable.keyPosition.path}\0${variable.key}`,
        ),
      );
    }
    return findings;
  },
};
