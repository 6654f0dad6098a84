import { endOfLifeDataset } from './dataset.js';
import type { EndOfLifeDataset, ProductId } from './schema.js';

/**
 * Which product of the dataset a package URL, a container image or a CPE names, through the
 * identifiers each product carries, so SBOM components, base images and compose images are
 * matched like declared runtimes.
 */

interface IdentifierIndex {
  purls: Map<string, ProductId>;
  images: Map<string, ProductId>;
  cpes: Map<string, ProductId>;
}

const indexes = new WeakMap<EndOfLifeDataset, IdentifierIndex>();

function indexOf(dataset: EndOfLifeDataset): IdentifierIndex {
  let index = indexes.get(dataset);
  if (index) return index;
  index = { purls: new Map(), images: new Map(), cpes: new Map() };
  for (const [id, product] of Object.entries(dataset.products)) {
    // The first product to claim an identifier keeps it; the dataset is sorted by id.
    for (const purl of product.identifiers.purls) {
      const key = purlKey(purl);
      if (key && !index.purls.has(key)) index.purls.set(key, id);
    }
    for (const image of product.identifiers.images) {
      const key = image.toLowerCase();
      if (!index.images.has(key)) index.images.set(key, id);
    }
    for (const cpe of product.identifiers.cpes) {
      const key = cpeKey(cpe);
      if (key && !index.cpes.has(key)) index.cpes.set(key, id);
    }
  }
  indexes.set(dataset, index);
  return index;
}

/**
 * A package URL without version, qualifiers and subpath, decoded and lower-cased, with PyPI names
 * normalised: `pkg:npm/%40angular/core@17.0.0` → `pkg:npm/@angular/core`.
 */
export function purlKey(purl: string): string | undefined {
  if (purl.length > 500) return undefined;
  let rest = purl.trim();
  if (!/^pkg:[a-z0-9.+-]+\//i.test(rest)) return undefined;
  rest = rest.replace(/[#?].*$/, '');
  const slash = rest.indexOf('/');
  const type = rest.slice(4, slash).toLowerCase();
  let path = rest.slice(slash + 1);
  // The version follows the last `@`; an `@` in a name is percent-encoded or leads a segment.
  const at = path.lastIndexOf('@');
  if (at > 0 && path[at - 1] !== '/') path = path.slice(0, at);
  try {
    path = decodeURIComponent(path)
      .toLowerCase()
      .replace(/^\/+|\/+$/g, '');
  } catch {
    return undefined;
  }
  if (path === '') return undefined;
  if (type === 'pypi') path = path.replace(/[-_.]+/g, '-');
  return `pkg:${type}/${path}`;
}

/** `cpe:2.3:a:vendor:product:…` or `cpe:/a:vendor:product:…` → `a:vendor:product`. */
export function cpeKey(cpe: string): string | undefined {
  if (cpe.length > 500) return undefined;
  const parts = cpe
    .trim()
    .toLowerCase()
    .replace(/^cpe:2\.3:/, '')
    .replace(/^cpe:\//, '')
    .split(':');
  const [part, vendor, product] = parts;
  if (!part || !vendor || !product || part.length !== 1) return undefined;
  return `${part}:${vendor}:${product}`;
}

/** The product a package URL names (`pkg:pypi/django@4.2.1` → django). */
export function productOfPurl(
  purl: string,
  dataset: EndOfLifeDataset = endOfLifeDataset,
): ProductId | undefined {
  const key = purlKey(purl);
  if (!key) return undefined;
  const index = indexOf(dataset);
  const direct = index.purls.get(key);
  if (direct) return direct;
  // A container image as a package URL is matched by its image name.
  const image = /^pkg:(?:docker|oci)\/(.+)$/.exec(key)?.[1];
  return image ? productOfImage(image, dataset) : undefined;
}

/**
 * The product a container image repository names, without its tag: `postgres`,
 * `docker.io/library/redis`, `bitnami/redis`. Images of other namespaces are someone else's.
 */
export function productOfImage(
  name: string,
  dataset: EndOfLifeDataset = endOfLifeDataset,
): ProductId | undefined {
  if (name.length > 300) return undefined;
  const lower = name.trim().toLowerCase();
  const index = indexOf(dataset).images;
  const direct = index.get(lower);
  if (direct) return direct;
  // Docker Hub's default host and namespace are optional (`docker.io/library/node` is `node`), and
  // mirrors keep the `library` namespace (`public.ecr.aws/docker/library/node`).
  const short = lower
    .replace(/^(?:index\.)?docker\.io\//, '')
    .replace(/^(?:[^/]+\/)*library\/(?=[^/]+$)/, '');
  return index.get(short);
}

/** The product a CPE names, by its part, vendor and product. */
export function productOfCpe(
  cpe: string,
  dataset: EndOfLifeDataset = endOfLifeDataset,
): ProductId | undefined {
  const key = cpeKey(cpe);
  return key ? indexOf(dataset).cpes.get(key) : undefined;
}
