import { Dashboard } from "../dashboard-view";

// localStorage mode: the token never reaches the server as a cookie, so the page guards itself.
export default function LocalDashboardPage() {
  return (
    <>
      <h1>Dashboard (localStorage mode)</h1>
      <Dashboard />
    </>
  );
}
