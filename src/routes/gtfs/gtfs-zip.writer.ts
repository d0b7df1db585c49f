import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/**
 * Writes text files into a zip that is byte-for-byte the same on every run and machine (with the
 * same Node, whose zlib does the deflating): fixed order, a fixed DOS timestamp given in local
 * components (DOS times have no zone), no extended-timestamp field, fixed mode and level. Written
 * beside the target and renamed, so a failed run leaves the old file.
 */
export async function writeDeterministicZip(path: string, files: readonly (readonly [string, string | Buffer])[]): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(2017, 11, 22);
  for (const [name, content] of files) {
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name, { mtime, mode: 0o100644, compressionLevel: 9, forceDosTimestamp: true });
  }
  zip.end();
  const partial = `${path}.partial`;
  await pipeline(zip.outputStream, createWriteStream(partial));
  await rename(partial, path);
}
