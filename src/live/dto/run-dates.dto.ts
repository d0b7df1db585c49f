import { ApiProperty } from '@nestjs/swagger';
import type { RunDates } from '../live.model.js';
import { RUN_DAYS_AHEAD, RUN_DAYS_BACK } from '../run-window.js';
import { LiveTrainRefDto } from './live-status.dto.js';

/** The runs of a train that the live endpoints serve: what a date picker offers. */
export class RunDatesDto {
  @ApiProperty({ type: LiveTrainRefDto })
  train: LiveTrainRefDto;

  @ApiProperty({ example: 'Asia/Kolkata', description: 'The train’s time zone: service dates are days in it.' })
  timeZone: string;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'The run status and timeline serve without `date` (on the line, else the next to leave); null when none leaves within the window.' })
  current: string | null;

  @ApiProperty({
    type: [String],
    format: 'date',
    example: ['2026-11-23', '2026-11-24', '2026-11-25'],
    description: `Every service date the train runs on from ${RUN_DAYS_BACK} days before to ${RUN_DAYS_AHEAD} days after today (its time zone, app clock), oldest first: each is a valid \`date\` of status and timeline.`,
  })
  serviceDates: string[];

  static from({ train, current, serviceDates }: RunDates): RunDatesDto {
    return { train: { number: train.number, name: train.name }, timeZone: train.timeZone, current, serviceDates };
  }
}
