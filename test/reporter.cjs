// mocha's spec reporter, plus the run's counts written to $PARLEY_STATS_FILE for scripts/test.mjs.
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha');

class SpecWithStats extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      if (process.env.PARLEY_STATS_FILE) writeFileSync(process.env.PARLEY_STATS_FILE, JSON.stringify(this.stats));
    });
  }
}
module.exports = SpecWithStats;
