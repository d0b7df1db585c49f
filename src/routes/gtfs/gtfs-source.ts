import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/**
 * Where a feed's files come from: a .zip read in place (its central directory first, then one
 * entry at a time, inflated as it streams) or a folder. Nothing is unpacked to disk and no file
 * is held whole in memory.
 */
export interface GtfsSource {
  /** The path it was opened from. */
  readonly path: string;
  /** The `.txt` files present, by bare name (`stops.txt`). */
  readonly files: ReadonlySet<string>;
  /** Uncompressed size in bytes, for progress. */
  size(file: string): number;
  open(file: string): Promise<Readable>;
  close(): Promise<void>;
}

/** Opens a `.zip` file or a folder as a feed. */
export async function openGtfsSource(path: string): Promise<GtfsSource> {
  const info = await stat(path);
  return info.isDirectory() ? openFolder(path) : openZip(path);
}

async function openFolder(path: string): Promise<GtfsSource> {
  const sizes = new Map<string, number>();
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.txt')) sizes.set(entry.name, (await stat(join(path, entry.name))).size);
  }
  return {
    path,
    files: new Set(sizes.keys()),
    size: (file) => sizes.get(file) ?? 0,
    open: async (file) => createReadStream(join(path, file)),
    close: async () => undefined,
  };
}

async function openZip(path: string): Promise<GtfsSource> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: false });
  const entries = new Map<string, yauzl.Entry>();
  const depth = new Map<string, number>();
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      // Some publishers zip a folder rather than its files; macOS adds resource forks beside them.
      if (name.endsWith('/') || name.startsWith('__MACOSX/') || !name.endsWith('.txt')) continue;
      const file = basename(name);
      const level = name.split('/').length;
      if ((depth.get(file) ?? Infinity) > level) {
        entries.set(file, entry);
        depth.set(file, level);
      }
    }
  } catch (error) {
    zip.close();
    throw error;
  }
  return {
    path,
    files: new Set(entries.keys()),
    size: (file) => entries.get(file)?.uncompressedSize ?? 0,
    open: (file) => {
      const entry = entries.get(file);
      if (!entry) return Promise.reject(new Error(`${file} is not in ${path}`));
      return zip.openReadStreamPromise(entry);
    },
    close: async () => zip.close(),
  };
}
