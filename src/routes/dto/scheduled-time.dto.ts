import { ApiProperty } from '@nestjs/swagger';
import { formatClock } from '../schedule-time.js';

/** A timetable time: local clock time plus the day of the journey it falls on. */
export class ScheduledTimeDto {
  @ApiProperty({ example: '08:32', description: 'Local time in the train’s time zone (`timeZone`), HH:mm.' })
  time: string;

  @ApiProperty({ example: 2, description: 'Day of the journey, 1 = the day the train leaves its origin (as printed in timetables).' })
  day: number;

  @ApiProperty({ example: 512, description: 'Minutes after midnight, 0-1439.' })
  minuteOfDay: number;

  @ApiProperty({ example: 1, description: 'Days after the journey starts, 0-based.' })
  dayOffset: number;

  static of(minuteOfDay: number | null, dayOffset: number | null): ScheduledTimeDto | null {
    if (minuteOfDay === null || dayOffset === null) return null;
    return { time: formatClock(minuteOfDay), day: dayOffset + 1, minuteOfDay, dayOffset };
  }
}
