import type { ReactNode } from "react";
import { SectionProviders } from "./providers";
import { deploymentConfig } from "../../../lib/config";

export default function SectionLayout({ children }: { children: ReactNode }) {
  return <SectionProviders convexUrl={deploymentConfig().convexUrl}>{children}</SectionProviders>;
}
