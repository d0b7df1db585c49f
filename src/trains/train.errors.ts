import { NotFoundError } from '../common/errors/domain-errors.js';

/** A train number the catalog does not have: the same 404 whether a query or the in-memory timetable found it missing. */
export const trainNotFound = (number: string) => new NotFoundError('TRAIN_NOT_FOUND', `No train with number ${number}`);
