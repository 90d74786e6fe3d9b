import t from 'tap';
import { shownAsOnCard } from '../../device/view/derive.ts';

t.test('dates read as printed on the KTP-el: DD-MM-YYYY', async (t) => {
  t.equal(shownAsOnCard('tanggalLahir', '1988-03-12'), '12-03-1988');
  t.equal(shownAsOnCard('tanggalLahir', '12-03-1988'), '12-03-1988', 'already in card form');
  t.equal(shownAsOnCard('tempatLahir', '1988-03-12'), '1988-03-12', 'only the date field is a date');
});

t.test('RT/RW in one form: the registry\'s "3/6" reads as the card\'s "003/006"', async (t) => {
  t.equal(shownAsOnCard('alamat', 'JL. MAWAR 1 RT 3/RW 6, JATEN'), 'JL. MAWAR 1 RT 003/RW 006, JATEN');
  t.equal(shownAsOnCard('alamat', 'JL. MAWAR 1 RT 003/RW 006, JATEN'), 'JL. MAWAR 1 RT 003/RW 006, JATEN');
});
