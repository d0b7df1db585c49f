import { IsStationCode } from '../../common/validation/codes.js';

export class StationCodeParams {
  @IsStationCode()
  code: string;
}
