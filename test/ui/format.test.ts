import t from 'tap';
import fc from 'fast-check';
import { cleanNpwpd, maskIdNumber, maskNop, nopDigitCount, percent, returnDataIntent, secondsUntil } from '../../ui/format.ts';
import { formatNop } from '../../device/domain/nop.ts';

t.test('a NOP typed digit by digit reads like the printed number', async (t) => {
  t.equal(maskNop('331301000100100010'), '33.13.010.001.001-0001.0');
  t.equal(maskNop('33'), '33');
  t.equal(maskNop('331'), '33.1');
  t.equal(maskNop('3313010'), '33.13.010');
  t.equal(maskNop('33130100010010001'), '33.13.010.001.001-0001');
  t.equal(maskNop(''), '');
});

t.test('masking keeps only digits, at most 18, and agrees with the domain formatter', async (t) => {
  t.equal(maskNop('33.13.010.001.001-0001.0'), '33.13.010.001.001-0001.0', 'pasting a formatted NOP is stable');
  t.equal(maskNop('3313010001001000109999'), '33.13.010.001.001-0001.0', 'extra digits are ignored');
  t.equal(maskNop('ab33'), '33');
  fc.assert(
    fc.property(
      fc.stringMatching(/^[0-9]{17}[079]$/),
      (digits) => maskNop(digits) === formatNop(digits) && nopDigitCount(maskNop(digits)) === 18,
    ),
  );
  fc.assert(fc.property(fc.string(), (s) => maskNop(maskNop(s)) === maskNop(s)));
});

t.test('an NPWPD keeps letters, digits, dots and dashes, upper-cased', async (t) => {
  t.equal(cleanNpwpd('p.2.0001234.33.13'), 'P.2.0001234.33.13');
  t.equal(cleanNpwpd(' P 2<script>'), 'P2SCRIPT');
  t.equal(cleanNpwpd('x'.repeat(50)).length, 32);
});

t.test('progress shows whole percents and survives bad values', async (t) => {
  t.equal(percent(0.424), 42);
  t.equal(percent(1), 100);
  t.equal(percent(1.7), 100);
  t.equal(percent(-1), 0);
  t.equal(percent(Number.NaN), 0);
});

t.test('the idle countdown rounds up and never goes negative', async (t) => {
  t.equal(secondsUntil(10_000, 0), 10);
  t.equal(secondsUntil(10_000, 100), 10);
  t.equal(secondsUntil(10_000, 9_001), 1);
  t.equal(secondsUntil(10_000, 12_000), 0);
});

t.test('return data leaves out empty fields instead of sending blanks', async (t) => {
  t.same(returnDataIntent('33.13.010.001.001-0001.0', ''), { type: 'submitReturnData', nop: '33.13.010.001.001-0001.0' });
  t.same(returnDataIntent(' ', 'P.2.0001234.33.13'), { type: 'submitReturnData', npwpd: 'P.2.0001234.33.13' });
  t.same(returnDataIntent('', ''), { type: 'submitReturnData' });
});

t.test('a NIK or No KK for a public screen keeps the region code and the last four digits', async (t) => {
  t.equal(maskIdNumber('3313115507920003'), '331311••••••0003');
  t.notMatch(maskIdNumber('3313115507920003'), /550792/, 'the birth date in the middle is hidden');
  t.equal(maskIdNumber('12345'), '•••••', 'too short to keep anything');
});
