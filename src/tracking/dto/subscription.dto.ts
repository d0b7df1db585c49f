import { ApiProperty } from '@nestjs/swagger';
import { IsTrainNumber } from '../../common/validation/codes.js';

/** Payload of the `subscribe` and `unsubscribe` socket events. */
export class TrainSubscriptionDto {
  @IsTrainNumber()
  trainNumber: string;
}

export class SubscribeAckDto {
  @ApiProperty({ example: true })
  ok: boolean;
}
