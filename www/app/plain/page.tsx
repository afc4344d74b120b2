import { PlainClient } from "./plain-client";
import { deploymentConfig } from "../../lib/config";

// The README's plain path, with no React provider: convex.setAuth(session.fetchAccessTokenFor(convex)).
export default function PlainPage() {
  const { convexUrl, siteUrl } = deploymentConfig();
  return <PlainClient convexUrl={convexUrl} siteUrl={siteUrl} />;
}
