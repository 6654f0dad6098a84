import { parseYamlValue } from '../kernel/index.js';
import type {
  EndOfLifeDataset,
  Milestone,
  Product,
  ProductIdentifiers,
  ReleaseCycle,
  VersionScheme,
} from './schema.js';

/**
 * Builds the bundled end-of-life dataset from endoflife.date's product files (one Markdown file
 * per product whose YAML front matter holds `identifiers` and `releases`). Pure: the script
 * scripts/update-eol.mjs reads the folder and writes the result, and the conformance test checks
 * that regenerating gives the shipped file.
 */

/** One product file as read: its id (the file name without `.md`) and its parsed front matter. */
export interface CorpusProductFile {
  id: string;
  frontMatter: unknown;
}

/** Where the files come from, as the corpus' SOURCE file says, and its licence text. */
export interface CorpusSource {
  repository: string;
  commit: string;
  date: string;
  licence: string;
}

export interface GeneratedDataset {
  dataset: EndOfLifeDataset;
  /** Cycles and products left out, each with why, for the script to print. */
  skipped: string[];
}

/** shipguard's names for products it knew before the dataset was generated. */
const renamedProducts: Readonly<Record<string, string>> = {
  'alpine-linux': 'alpine',
  'ruby-on-rails': 'rails',
  // Java's community builds: the cycles shipguard reports for `java` are Eclipse Temurin's.
  'eclipse-temurin': 'java',
};

const renamedTitles: Readonly<Record<string, string>> = {
  'eclipse-temurin': 'Java (Eclipse Temurin)',
  dotnet: '.NET',
};

/**
 * Identifiers the source does not give: the official container images of base systems, runtimes,
 * databases and servers (the Docker Hub library name unless a namespace is written).
 */
const extraIdentifiers: Readonly<Record<string, Partial<ProductIdentifiers>>> = {
  'alpine-linux': { images: ['alpine'] },
  almalinux: { images: ['almalinux'] },
  'amazon-corretto': { images: ['amazoncorretto'] },
  'apache-cassandra': { images: ['cassandra'] },
  'apache-http-server': { images: ['httpd'] },
  'apache-kafka': { images: ['apache/kafka'] },
  'apache-maven': { images: ['maven'] },
  'azul-zulu': { images: ['azul/zulu-openjdk'] },
  centos: { images: ['centos'] },
  debian: { images: ['debian'] },
  // The `openjdk` image's long-lived tags were community builds; Temurin's dates are the closest.
  'eclipse-temurin': { images: ['eclipse-temurin', 'openjdk'] },
  elasticsearch: { images: ['elasticsearch'] },
  erlang: { images: ['erlang'] },
  fedora: { images: ['fedora'] },
  gradle: { images: ['gradle'] },
  grafana: { images: ['grafana/grafana'] },
  haproxy: { images: ['haproxy'] },
  'hashicorp-vault': { images: ['hashicorp/vault'] },
  'ibm-semeru': { images: ['ibm-semeru-runtimes'] },
  influxdb: { images: ['influxdb'] },
  jenkins: { images: ['jenkins/jenkins'] },
  joomla: { images: ['joomla'] },
  julia: { images: ['julia'] },
  keycloak: { images: ['quay.io/keycloak/keycloak'] },
  kibana: { images: ['kibana'] },
  logstash: { images: ['logstash'] },
  mediawiki: { images: ['mediawiki'] },
  mongodb: { images: ['mongo'] },
  neo4j: { images: ['neo4j'] },
  nextcloud: { images: ['nextcloud'] },
  nginx: { images: ['nginx'] },
  opensuse: { images: ['opensuse/leap'] },
  perl: { images: ['perl'] },
  php: { images: ['php'] },
  rabbitmq: { images: ['rabbitmq'] },
  redmine: { images: ['redmine'] },
  'rocky-linux': { images: ['rockylinux'] },
  rust: { images: ['rust'] },
  sapmachine: { images: ['sapmachine'] },
  solr: { images: ['solr'] },
  'sonarqube-community': { images: ['sonarqube'] },
  tomcat: { images: ['tomcat'] },
  ubuntu: { images: ['ubuntu'] },
};

/** Products whose cycles are `year.month` with a two-digit month. */
const yearMonthProducts = new Set(['ubuntu']);

/** Node.js names its LTS lines; users write `lts/iron`. The source has no codenames for them. */
const nodeLtsCodenames: Readonly<Record<string, string>> = {
  '4': 'argon',
  '6': 'boron',
  '8': 'carbon',
  '10': 'dubnium',
  '12': 'erbium',
  '14': 'fermium',
  '16': 'gallium',
  '18': 'hydrogen',
  '20': 'iron',
  '22': 'jod',
  '24': 'krypton',
};

/** The parts of a product file's front matter read here; every value still unchecked. */
interface FrontMatter {
  title?: unknown;
  category?: unknown;
  identifiers?: unknown;
  releases?: unknown;
}

interface Release {
  releaseCycle?: unknown;
  codename?: unknown;
  lts?: unknown;
  releaseDate?: unknown;
  eol?: unknown;
  eoas?: unknown;
  eoes?: unknown;
}

const cycleName = /^\d{1,4}(\.\d{1,3})?$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** The YAML front matter of a product file, parsed with every scalar kept as text (`3.10` stays `3.10`). */
export function parseProductFile(id: string, markdown: string): CorpusProductFile {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(markdown);
  return {
    id,
    frontMatter: match?.[1] === undefined ? undefined : parseYamlValue(match[1], { schema: 'failsafe' }),
  };
}

/** The corpus' SOURCE file: `repository: …` and `commit: <sha> (<date>)`. */
export function parseCorpusSource(text: string, licence: string): CorpusSource {
  const repository = /^repository:\s*(\S+)/m.exec(text)?.[1];
  const commit = /^commit:\s*([0-9a-f]{40})\s*\((\d{4}-\d{2}-\d{2})\)/m.exec(text);
  if (!repository || !commit?.[1] || !commit[2])
    throw new Error('the SOURCE file names no repository, or no commit with its date');
  return { repository, commit: commit[1], date: commit[2], licence };
}

export function generateEndOfLifeDataset(
  files: readonly CorpusProductFile[],
  source: CorpusSource,
): GeneratedDataset {
  const skipped: string[] = [];
  const products: Record<string, Product> = {};
  for (const file of [...files].sort((a, b) => a.id.localeCompare(b.id))) {
    const product = productOf(file, skipped);
    if (product) products[renamedProducts[file.id] ?? file.id] = product;
  }
  const shortCommit = source.commit.slice(0, 12);
  return {
    dataset: {
      asOf: source.date,
      source: `endoflife.date product files (${source.repository} at ${shortCommit}, ${source.date}), generated by scripts/update-eol.mjs`,
      origin: { repository: source.repository, commit: source.commit, date: source.date },
      licence: `The release cycles, dates and identifiers come from endoflife.date, under the MIT licence:\n\n${source.licence.trim()}`,
      products,
    },
    skipped,
  };
}

function productOf(file: CorpusProductFile, skipped: string[]): Product | undefined {
  const front: FrontMatter | undefined = asRecord(file.frontMatter);
  if (!front) {
    skipped.push(`${file.id}: no front matter`);
    return undefined;
  }
  const identifiers = identifiersOf(file.id, front.identifiers);
  if (identifiers.purls.length + identifiers.cpes.length + identifiers.images.length === 0) {
    skipped.push(`${file.id}: no identifier shipguard can match`);
    return undefined;
  }
  const cycles: ReleaseCycle[] = [];
  const seen = new Set<string>();
  for (const release of Array.isArray(front.releases) ? front.releases : []) {
    const cycle = cycleOf(file.id, asRecord(release));
    if (typeof cycle === 'string') {
      skipped.push(`${file.id}: ${cycle}`);
    } else if (seen.has(cycle.cycle)) {
      skipped.push(`${file.id} ${cycle.cycle}: named twice`);
    } else {
      seen.add(cycle.cycle);
      cycles.push(cycle);
    }
  }
  if (cycles.length === 0) {
    skipped.push(`${file.id}: no release cycle named by a version number`);
    return undefined;
  }
  return {
    title: renamedTitles[file.id] ?? (text(front.title) || file.id),
    category: text(front.category) || 'unknown',
    scheme: schemeOf(file.id, cycles),
    identifiers,
    cycles,
  };
}

function identifiersOf(id: string, value: unknown): ProductIdentifiers {
  const extra = extraIdentifiers[id] ?? {};
  const purls = new Set<string>(extra.purls ?? []);
  const cpes = new Set<string>(extra.cpes ?? []);
  const images = new Set<string>(extra.images ?? []);
  for (const entry of Array.isArray(value) ? value : []) {
    const record: { purl?: unknown; cpe?: unknown } | undefined = asRecord(entry);
    const purl = text(record?.purl);
    const cpe = text(record?.cpe);
    if (cpe.startsWith('cpe:')) cpes.add(cpe);
    if (!/^pkg:[a-z0-9.+-]+\/\S+$/i.test(purl)) continue;
    const image = imageOfPurl(purl);
    if (image) images.add(image);
    else purls.add(purl);
  }
  return { purls: [...purls], cpes: [...cpes], images: [...images] };
}

/** `pkg:docker/library/postgres` → `postgres`; `pkg:oci/argocd?repository_url=quay.io/argoproj` → `quay.io/argoproj/argocd`. */
export function imageOfPurl(purl: string): string | undefined {
  const docker = /^pkg:docker\/([^@?#]+)/i.exec(purl);
  if (docker?.[1]) return docker[1].replace(/^library\//, '').toLowerCase();
  const oci = /^pkg:oci\/([^@?#/]+)(?:@[^?#]*)?\?(?:[^#]*&)?repository_url=([^&#]+)/i.exec(purl);
  if (oci?.[1] && oci[2]) return `${decodeURIComponent(oci[2])}/${oci[1]}`.toLowerCase();
  return undefined;
}

function cycleOf(id: string, release: Release | undefined): ReleaseCycle | string {
  const raw = text(release?.releaseCycle);
  if (!release) return 'a release that is not a mapping';
  // .NET 5 and later are written `net8.0`; shipguard names those cycles `8.0`.
  const name = id === 'dotnet' && /^\d+$/.test(raw) && Number(raw) >= 5 ? `${raw}.0` : raw;
  if (!cycleName.test(name)) return `cycle "${raw.slice(0, 40)}" is not named by a version number`;
  const eol = milestoneOf(release.eol);
  if (eol === 'invalid')
    return `${name}: eol "${text(release.eol).slice(0, 40)}" is neither a date nor true/false`;
  const codename = codenameOf(id, name, release.codename);
  const lts = text(release.lts);
  const releaseDate = text(release.releaseDate);
  const cycle: ReleaseCycle = {
    cycle: name,
    ...(codename ? { codename } : {}),
    ...(lts === 'true' || isoDate.test(lts) ? { lts: true } : lts === 'false' ? { lts: false } : {}),
    releaseDate: isoDate.test(releaseDate) ? releaseDate : null,
    eol,
  };
  for (const key of ['eoas', 'eoes'] as const) {
    if (!(key in release)) continue;
    const milestone = milestoneOf(release[key]);
    if (milestone !== 'invalid') cycle[key] = milestone;
  }
  return cycle;
}

function codenameOf(id: string, cycle: string, value: unknown): string | undefined {
  if (id === 'nodejs') return nodeLtsCodenames[cycle];
  const first = text(value).split(/\s+/)[0]?.toLowerCase() ?? '';
  return /^[a-z]{2,20}$/.test(first) ? first : undefined;
}

/** A date, `true` (ended, day not given), null (`false` or absent: no end set); 'invalid' otherwise. */
function milestoneOf(value: unknown): Milestone | 'invalid' {
  const value_ = text(value);
  if (value === undefined || value_ === '' || value_ === 'false') return null;
  if (value_ === 'true') return true;
  return isoDate.test(value_) ? value_ : 'invalid';
}

function schemeOf(id: string, cycles: readonly ReleaseCycle[]): VersionScheme {
  if (yearMonthProducts.has(id)) return 'year.month';
  const withMinor = cycles.filter((cycle) => cycle.cycle.includes('.')).length;
  return withMinor * 2 > cycles.length ? 'major.minor' : 'major';
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * The dataset as written to dataset.json: one product's header and identifiers on a few lines and
 * one release cycle per line, so a refresh reads as a short diff. The file is generated, so the
 * formatter leaves it alone (biome.json).
 */
export function serializeDataset(dataset: EndOfLifeDataset): string {
  const { products, ...header } = dataset;
  const lines = ['{'];
  for (const [key, value] of Object.entries(header))
    lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  lines.push('  "products": {');
  const entries = Object.entries(products);
  entries.forEach(([id, product], index) => {
    const { cycles, identifiers, ...rest } = product;
    lines.push(`    ${JSON.stringify(id)}: {`);
    for (const [key, value] of Object.entries(rest))
      lines.push(`      ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
    lines.push(`      "identifiers": ${JSON.stringify(identifiers)},`);
    lines.push('      "cycles": [');
    cycles.forEach((cycle, position) => {
      lines.push(`        ${JSON.stringify(cycle)}${position < cycles.length - 1 ? ',' : ''}`);
    });
    lines.push('      ]');
    lines.push(`    }${index < entries.length - 1 ? ',' : ''}`);
  });
  lines.push('  }', '}', '');
  return lines.join('\n');
}

/** The NOTICE file shipped beside dataset.json: the source's licence and where the data comes from. */
export function noticeOf(dataset: EndOfLifeDataset): string {
  return `The end-of-life dataset beside this file (dataset.json) is derived from endoflife.date.\n\n${dataset.licence}\n\nSource: ${dataset.source}\n`;
}
