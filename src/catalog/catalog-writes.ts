import { Injectable } from '@nestjs/common';

/**
 * Catalog writes made on this instance (admin writes, the default catalog's import): every
 * in-memory copy of the catalog (the station index, the timetable) reloads before its next read,
 * so this instance reads its own writes at once. Writes elsewhere reach it by the catalog version.
 */
@Injectable()
export class CatalogWrites {
  private readonly listeners: Array<() => void> = [];

  /** The catalog was written here: every copy is out of date. */
  written(): void {
    for (const listener of this.listeners) listener();
  }

  onWrite(listener: () => void): void {
    this.listeners.push(listener);
  }
}
