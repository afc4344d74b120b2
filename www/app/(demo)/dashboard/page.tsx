import { Dashboard } from "../dashboard-view";

// Guarded by proxy.ts (cookie mode): only reached with a JWT cookie the EdgeVerifier accepted.
export default function DashboardPage() {
  return (
    <>
      <h1>Dashboard</h1>
      <Dashboard />
    </>
  );
}
