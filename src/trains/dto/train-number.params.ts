import { IsTrainNumber } from '../../common/validation/codes.js';

export class TrainNumberParams {
  @IsTrainNumber()
  number: string;
}
