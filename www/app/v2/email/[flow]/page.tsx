// /v2/email/validate|recover|change?code=…: the pages the local deployment's emailed links open
// (its SITE_URL), under the spa provider that started the flow.
import { notFound } from "next/navigation";
import { v2DeploymentConfig } from "../../../../lib/config";
import { V2SpaProvider } from "../../spa-provider";
import { EmailLink, type LinkFlow } from "./email-link";

const FLOWS: LinkFlow[] = ["validate", "recover", "change"];

export default async function EmailLinkPage({ params, searchParams }: { params: Promise<{ flow: string }>; searchParams: Promise<{ code?: string }> }) {
  const { flow } = await params;
  const { code } = await searchParams;
  if (!FLOWS.includes(flow as LinkFlow)) notFound();
  return (
    <>
      <h1>Convex Auth 2: your emailed link</h1>
      {code ? (
        <V2SpaProvider config={v2DeploymentConfig()}>
          <EmailLink flow={flow as LinkFlow} emailCode={code} />
        </V2SpaProvider>
      ) : (
        <p className="error" id="v2-link">This link has no code: open the link from the email as it is.</p>
      )}
      <p><a href="/v2">Back to the demo</a></p>
    </>
  );
}
