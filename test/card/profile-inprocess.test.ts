import t from 'tap';
import { inProcessHarness } from './harness.ts';
import { profileSuite } from './profile-suite.ts';

profileSuite(t, inProcessHarness, { removalStride: 1 });
