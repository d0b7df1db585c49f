import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import semver from 'semver';

const readJson = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));


describe('Node engines', () => {
  const project = readJson('package.json');
  const lock = readJson('package-lock.json');
  // The oldest version of each Node line package.json admits, e.g. 20.19.0 and 22.12.0.
  const oldest = new semver.Range(project.engines.node).set.map((comparators) =>
    semver.minVersion(new semver.Range(comparators.map(String).join(' ')))!.version,
  );

  it('admits the Node this project is built and tested on', () => {
    expect(semver.satisfies(process.version, project.engines.node)).toBe(true);
  });

  it('has no installed package that needs a newer Node than package.json says (each would be an EBADENGINE warning on npm ci)', () => {
    const tooNew = Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)
      .filter(([path, entry]) => path !== '' && typeof entry.engines?.node === 'string')
      .filter(([, entry]) => oldest.some((version) => !semver.satisfies(version, entry.engines!.node!)))
      .map(([path, entry]) => [path, entry.engines!.node]);
    expect(Object.fromEntries(tooNew)).toEqual({});
  });
});
