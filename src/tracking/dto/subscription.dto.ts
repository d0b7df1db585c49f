import { IsTrainNumber } from '../../common/validation/codes.js';

/** Payload of the `subscribe` and `unsubscribe` socket events. */
export class TrainSubscriptionDto {
  @IsTrainNumber()
  trainNumber: string;
}
