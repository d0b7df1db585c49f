export const TRAIN_TYPES = [
  'RAJDHANI',
  'SHATABDI',
  'DURONTO',
  'VANDE_BHARAT',
  'GARIB_RATH',
  'HUMSAFAR',
  'TEJAS',
  'SUPERFAST',
  'EXPRESS',
  'MAIL',
  'PASSENGER',
] as const;
export type TrainType = (typeof TRAIN_TYPES)[number];

/** Days of the week in ISO order (Monday first), as stored in `trains.runs_on`. */
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
