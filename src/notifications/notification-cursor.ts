import { InvalidInputError } from '../common/errors/domain-errors.js';

export interface CursorPosition {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * The time exactly as encodeCursor writes it (toISOString of a stored row). Anything Date parses
 * was accepted before, and a forged '-271821-04-20T…' reached PostgreSQL, whose timestamps end at
 * 4713 BC: a 500.
 */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Opaque to clients: base64url of the last item's creation time and id. */
export const encodeCursor = ({ createdAt, id }: CursorPosition) => Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id === 'string' && UUID.test(id) && typeof createdAt === 'string' && CURSOR_TIME.test(createdAt) && !Number.isNaN(date.getTime())) return { createdAt: date, id };
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('INVALID_CURSOR', 'The cursor is not one this API returned', [{ field: 'cursor', messages: ['cursor is invalid'] }]);
}
