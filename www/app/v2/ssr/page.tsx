import { V2Demo } from "../v2-demo";

export default function V2Ssr() {
  return (
    <>
      <h1>Convex Auth 2 (ssr)</h1>
      <p className="muted">
        The refresh token stays in an httpOnly cookie set by <code>/auth/*</code>. <a href="/v2/ssr/dashboard">Dashboard</a> ·{" "}
        <a href="/v2">spa mode</a>
      </p>
      <V2Demo mode="ssr" home="/v2/ssr/dashboard" />
    </>
  );
}
