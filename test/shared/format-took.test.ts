import { expect, it } from 'vitest';
import { formatTook } from '../../shared/format-took';

it('says how long a capture took, in tenths below ten seconds', () => {
  expect([350, 9_949, 12_400, 125_000, 3_725_000].map(formatTook)).toEqual(['0.3s', '9.9s', '12s', '2m05s', '1h02m']);
});
