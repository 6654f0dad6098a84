/**
 * A secret-detection rule as plain data, so it can cross into worker threads. Validators are
 * named, not functions, for the same reason; `compileRule` turns the data into a runnable rule.
 */
export type ValidatorName =
  | 'github-checksum'
  | 'npm-checksum'
  | 'jwt'
  | 'prefixed-jwt'
  | 'base64-jwt'
  | 'generic-value'
  | 'password-value'
  | 'provider-value'
  | 'upper-token'
  | 'base64-json'
  | 'base64-json-after-prefix'
  | 'sentry-org-token'
  | 'private-key-structure'
  | 'azure-storage-key'
  | 'user-password'
  | 'kubernetes-secret-value';

/** What an allowlist regex is matched against (gitleaks' `regexTarget`). */
export type AllowTarget = 'secret' | 'match' | 'line';

export interface AllowlistSpec {
  description?: string;
  /** OR (default): any criterion allows. AND: every criterion given must hold. */
  condition: 'or' | 'and';
  regexTarget: AllowTarget;
  /** Regex sources, already translated to JavaScript. */
  regexes: RegexSpec[];
  paths: RegexSpec[];
  stopwords: string[];
  commits: string[];
  /** For global allowlists: only these rule ids (empty means every rule). */
  targetRules: string[];
}

export interface RegexSpec {
  source: string;
  flags: string;
}

export interface RuleSpec {
  id: string;
  description: string;
  /** Lowercase. The rule's regex runs only near a line where one of them occurs. Empty: everywhere. */
  keywords: string[];
  /** Absent for path-only rules (a file whose name alone is the finding). */
  regex?: RegexSpec;
  /** Capture group holding the secret; 0 means the first non-empty group, else the whole match. */
  secretGroup: number;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  validator?: ValidatorName;
  /** Only files whose path matches. */
  path?: RegexSpec;
  /** How far past a keyword (in characters) a match may end; multi-line rules set it. */
  reach?: number;
  /** The match may span lines (PEM blocks). */
  multiline?: boolean;
  /**
   * The regex fixes a tool's credential setting (its documented key, such as `.npmrc`'s
   * `:_authToken=`), so a literal value there that fails the value checks is a filler: reported as
   * a low placeholder rather than dropped. References (`${VAR}`) are still nothing.
   */
  fillerIsPlaceholder?: boolean;
  /** `low` is given only at run time, to test credentials (see test-credentials.ts). */
  severity: 'critical' | 'high' | 'medium' | 'low';
  allowlists: AllowlistSpec[];
}

/** The rule set a scan runs: rules plus allowlists that apply to every rule. */
export interface RuleSetSpec {
  rules: RuleSpec[];
  allowlists: AllowlistSpec[];
}
