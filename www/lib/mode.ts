// The demo's storage mode, kept in a plain cookie so the server renders the right one.
export type Mode = "cookie" | "localStorage";
export const MODE_COOKIE = "demo-mode";

export function parseMode(value: string | undefined): Mode {
  return value === "localStorage" ? "localStorage" : "cookie";
}
