// /v2/official: the official @convex-dev/auth 2.0.0 provider on the keys /v2 uses.
import { v2DeploymentConfig } from "../../../lib/config";
import { OfficialV2 } from "./official-demo";

export default function OfficialV2Page() {
  return (
    <>
      <h1>Convex Auth 2 on the official provider</h1>
      <p className="muted">
        <code>@convex-dev/auth/react</code> 2.0.0, the same localStorage keys as <a href="/v2">/v2</a> (ours): switch back and forth.
      </p>
      <OfficialV2 config={v2DeploymentConfig()} />
    </>
  );
}
