// /v2: Convex Auth 2 in spa mode. /v2/ssr: the same app in ssr mode (cookies through the v2 routes).
import { v2DeploymentConfig } from "../../lib/config";
import { V2SpaProvider } from "./spa-provider";
import { V2Demo } from "./v2-demo";

export default function V2Spa() {
  return (
    <>
      <h1>Convex Auth 2 (spa)</h1>
      <p className="muted">
        The deployment on this machine runs the real <code>@convex-dev/auth</code> 2.0.0. <a href="/v2/ssr">ssr mode</a> · <a href="/v2/official">the official provider</a> ·{" "}
        <a href="/">Convex Auth 0.x</a>
      </p>
      <V2SpaProvider config={v2DeploymentConfig()}>
        <V2Demo mode="spa" home="/v2" />
      </V2SpaProvider>
    </>
  );
}
