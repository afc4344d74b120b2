// Test-only controls (BACKEND_TEST_CONTROLS=1), in the style of the 0.x backend: an outage
// switch, call counters, a refresh log, the sessions that refreshes revoked, and a driven clock.
export type Mode = "ok" | "503" | "refuse" | "slow";
export type Revocation = { sessionId: string; reason: "reuse" | "expired"; at: number };

export const controls = {
  /** ok; 503: every HTTP API call answers 503 and new sockets are refused; refuse: connections
   *  are dropped; slow: HTTP API answers come after `slowMs`. */
  mode: "ok" as Mode,
  slowMs: 12_000,
  /** Calls per function path (HTTP API and WebSocket), since the last reset. */
  functionCalls: {} as Record<string, number>,
  /** Calls of `auth:refreshSession`, and the refresh tokens they presented, in order. */
  refreshCalls: 0,
  refreshLog: [] as string[],
  /** Calls of the sign-in and sign-up mutations. */
  signInCalls: 0,
  /** Sessions that a refresh deleted while they were live and their refresh token was not
   *  expired: reuse detection (a spent or dropped token, or too many unredeemed ones). */
  revokedSessions: 0,
  /** Every session a refresh deleted, reuse or expiry. */
  revocations: [] as Revocation[],
  /** How far the deployment's clock runs ahead of the real one (POST {advanceMs} moves it). */
  clockOffsetMs: 0,
};

const counters = () => ({ functionCalls: {}, refreshCalls: 0, refreshLog: [], signInCalls: 0, revokedSessions: 0, revocations: [] });
const settable = new Set(["mode", "slowMs", ...Object.keys(counters()), "clockOffsetMs"]);
const modes = new Set<Mode>(["ok", "503", "refuse", "slow"]);

/** Applies a POSTed change: known fields are set, `reset` zeroes the counters, `advanceMs` moves
 *  the clock. Throws on an unknown field or mode (a typo in a test should not pass silently). */
export function applyChange(change: Record<string, unknown>): { advanceMs: number; dropSockets: boolean } {
  const { advanceMs = 0, dropSockets = false, reset = false, ...fields } = change;
  for (const key of Object.keys(fields)) if (!settable.has(key)) throw new Error(`unknown control: ${key}`);
  if (fields.mode !== undefined && !modes.has(fields.mode as Mode)) throw new Error(`unknown mode: ${fields.mode}`);
  if (reset) Object.assign(controls, counters());
  Object.assign(controls, fields);
  controls.clockOffsetMs += Number(advanceMs);
  return { advanceMs: Number(advanceMs), dropSockets: Boolean(dropSockets) };
}
