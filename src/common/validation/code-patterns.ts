// The patterns alone, without the validation decorators of codes.ts: the GTFS import checks
// codes with them and need not load Swagger and class-validator (about 0.7 s of its start).

/** Indian codes (NDLS) and GTFS stop ids as feeds write them (LIRR `157`, Sound Transit `TL_STDIST`), upper case. */
export const STATION_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_.-]{0,15}$/;
/** 1-8 digits: Indian numbers (12951, 00290) and LIRR's (21). */
export const TRAIN_NUMBER_PATTERN = /^[0-9]{1,8}$/;
