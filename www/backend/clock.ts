// A driven clock for tests: the process's `Date` runs `offsetMs()` ahead of the real one, so token
// iat/exp, session and refresh-token expiry and reuse windows move with the test. Both
// `Date.now()` and `new Date()` (jose's iat) move.
export function installShiftedDate(offsetMs: () => number) {
  const RealDate = Date;
  const now = () => RealDate.now() + offsetMs();
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [number]));
    }
    static now() {
      return now();
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
