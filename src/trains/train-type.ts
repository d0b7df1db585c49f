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
  // Kinds of GTFS routes (route_type): 2 and 100-117 rail, 0 and 900-906 light rail or tram,
  // 1 and 400-404 metro; anything else OTHER.
  'RAIL',
  'LIGHT_RAIL',
  'METRO',
  'OTHER',
] as const;
export type TrainType = (typeof TRAIN_TYPES)[number];

/** Days of the week in ISO order (Monday first), as stored in `trains.runs_on`. */
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
