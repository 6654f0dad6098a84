import type { PipelineFileSource } from './load.js';

/** An in-memory repository for the loader. */
export function memorySource(files: Record<string, string>): PipelineFileSource {
  return {
    files: Object.keys(files).sort(),
    async readText(path, maxBytes = Number.POSITIVE_INFINITY) {
      const text = files[path];
      if (text === undefined) return undefined;
      const size = Buffer.byteLength(text);
      return { path, text: text.slice(0, maxBytes), truncated: size > maxBytes, size };
    },
  };
}
